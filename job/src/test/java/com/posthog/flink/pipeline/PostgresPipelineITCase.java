package com.posthog.flink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.Json;
import com.posthog.flink.sink.Sinks;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Postgres pipeline ({@code KAFKA_ENABLED=false}): events go to {@code posthog_event}, dead
 * letters to the Kafka topic only, and a row Postgres refuses is found and becomes a dead letter
 * while the rest of its batch is stored.
 */
class PostgresPipelineITCase {

    private static final int MESSAGES = 500;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestServices.miniCluster();

    private static TestServices services;

    @BeforeAll
    static void freshDatabases() throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
    }

    @Test
    void eventsLandInPosthogEventOnceAndRefusedRowsBecomeDeadLetters() throws Exception {
        String input = services.newTopic("it_pg_events");
        String deadLetterTopic = services.newTopic("it_pg_dead_letters");
        Settings settings = services.settings(input, deadLetterTopic, false);
        List<String> messages = new ArrayList<>(Messages.stream(MESSAGES, input));
        // Postgres jsonb refuses the NUL character; ClickHouse and JSON do not.
        String refusedUuid = UUID.randomUUID().toString();
        messages.add(
                Messages.event(refusedUuid, "nul-user", 2, "nul")
                        .replace(
                                "\\\"$current_url\\\"",
                                "\\\"nul\\\":\\\"a\\\\u0000b\\\",\\\"$current_url\\\""));
        int faulty = MESSAGES / 100;
        int stored = MESSAGES - faulty;
        services.produce(input, messages);

        StreamExecutionEnvironment env = TestServices.streamingEnvironment();
        PluginServerJob.defineWorkflow(Inputs.kafka(env, settings), settings, new Sinks(settings));
        JobClient job = env.executeAsync("postgres pipeline");
        try {
            TestServices.await(
                    "all events in posthog_event",
                    TIMEOUT,
                    () -> services.postgresCount("SELECT count(*) FROM posthog_event") == stored);
            TestServices.await(
                    "the input to be consumed and checkpointed",
                    TIMEOUT,
                    () -> services.consumedToEnd("it-" + input, input));

            List<String> letters = services.consumeAll(deadLetterTopic);
            assertThat(letters).hasSize(faulty + 1);
            JsonNode refused = null;
            for (String letter : letters) {
                JsonNode node = Json.parse(letter);
                if (refusedUuid.equals(node.get("event_uuid").asText())) {
                    refused = node;
                }
            }
            assertThat(refused).as("the dead letter of the refused row").isNotNull();
            assertThat(refused.get("error_location").asText()).isEqualTo("plugin_server_sink");
            assertThat(refused.get("error").asText()).startsWith("sink failed. Error: ");
            assertThat(refused.get("raw_payload").asText()).contains(refusedUuid);

            services.produce(input, messages);
            TestServices.await(
                    "the replay to be consumed and checkpointed",
                    TIMEOUT,
                    () -> services.consumedToEnd("it-" + input, input));
            assertThat(services.postgresCount("SELECT count(*) FROM posthog_event"))
                    .isEqualTo(stored);
            assertThat(services.postgresCount("SELECT count(DISTINCT uuid) FROM posthog_event"))
                    .isEqualTo(stored);
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_event WHERE team_id = 2 AND properties ? '$ip'"))
                    .isEqualTo(stored);
        } finally {
            job.cancel().get();
        }
    }
}
