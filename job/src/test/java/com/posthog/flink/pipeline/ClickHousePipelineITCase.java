package com.posthog.flink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.cli.PluginServer;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.Json;
import com.posthog.flink.health.HealthPing;
import com.posthog.flink.health.HealthPingOperator;
import com.posthog.flink.sink.Sinks;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole topology on a MiniCluster against the real Kafka and ClickHouse (and Postgres for
 * teams): every message ends as an event or a dead letter with its reason, and a replay of the same
 * messages adds nothing.
 */
class ClickHousePipelineITCase {

    private static final int MESSAGES = 10_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestServices.miniCluster();

    private static TestServices services;

    @BeforeAll
    static void freshDatabases() throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
    }

    @Test
    void everyMessageEndsAsAnEventOrADeadLetterAndAReplayAddsNothing() throws Exception {
        String input = services.newTopic("it_events");
        String deadLetterTopic = services.newTopic("it_dead_letters");
        Settings settings = services.settings(input, deadLetterTopic, true);
        List<String> messages = Messages.stream(MESSAGES, input);
        int faulty = MESSAGES / 100;
        services.produce(input, messages);

        StreamExecutionEnvironment env = TestServices.streamingEnvironment();
        PluginServerJob.defineWorkflow(Inputs.kafka(env, settings), settings, new Sinks(settings));
        HealthPingOperator.attach(env, settings.redisUrl());
        JobClient job = env.executeAsync("clickhouse pipeline");
        try {
            TestServices.await(
                    "all events and dead letters in ClickHouse",
                    TIMEOUT,
                    () ->
                            services.clickHouseCount("SELECT count() FROM events FINAL")
                                            == MESSAGES - faulty
                                    && services.clickHouseCount(
                                                    "SELECT count() FROM events_dead_letter_queue FINAL")
                                            == faulty);
            assertThat(services.clickHouseCount("SELECT uniqExact(uuid) FROM events FINAL"))
                    .isEqualTo(MESSAGES - faulty);
            assertDeadLettersHaveTheirReasons(faulty);
            TestServices.await(
                    "a healthy ping", Duration.ofSeconds(30), () -> runHealthcheck(settings) == 0);

            // The same messages again: the job reads them all, and no count changes.
            services.produce(input, messages);
            String group = "it-" + input;
            TestServices.await(
                    "the replay to be consumed and checkpointed",
                    TIMEOUT,
                    () -> services.consumedToEnd(group, input));
            assertThat(services.clickHouseCount("SELECT count() FROM events FINAL"))
                    .isEqualTo(MESSAGES - faulty);
            assertThat(services.clickHouseCount("SELECT uniqExact(uuid) FROM events FINAL"))
                    .isEqualTo(MESSAGES - faulty);
            assertThat(
                            services.clickHouseCount(
                                    "SELECT count() FROM events_dead_letter_queue FINAL"))
                    .isEqualTo(faulty);
            // Kafka keeps both copies of each dead letter (a topic is not idempotent), with one id.
            List<String> kafkaLetters = services.consumeAll(deadLetterTopic);
            assertThat(kafkaLetters).hasSize(2 * faulty);
            Set<String> ids = new HashSet<>();
            for (String letter : kafkaLetters) {
                ids.add(Json.parse(letter).get("id").asText());
            }
            assertThat(ids).hasSize(faulty);
        } finally {
            job.cancel().get();
        }

        // Once the job is gone the ping ages: unhealthy within 35 s.
        Thread.sleep(HealthPing.MAX_PING_AGE_MILLIS + 1_000);
        assertThat(runHealthcheck(settings)).isOne();
    }

    private static void assertDeadLettersHaveTheirReasons(int faulty) throws Exception {
        List<ObjectNode> letters =
                services.clickHouseRows(
                        "SELECT error_location, error, raw_payload, team_id FROM events_dead_letter_queue FINAL");
        assertThat(letters).hasSize(faulty);
        Map<String, Integer> byError = new HashMap<>();
        for (JsonNode letter : letters) {
            byError.merge(letter.get("error").asText(), 1, Integer::sum);
            assertThat(letter.get("raw_payload").asText()).isNotBlank();
            String location = letter.get("error_location").asText();
            assertThat(location).isIn("plugin_server_parse_message", "plugin_server_ingest_event");
            assertThat(letter.get("error").asText())
                    .startsWith(
                            location.equals("plugin_server_parse_message")
                                    ? "parseMessage failed. Error: "
                                    : "ingestEvent failed. Error: ");
        }
        for (Messages.Fault fault : Messages.Fault.values()) {
            assertThat(byError.get(fault.error))
                    .as(fault.name())
                    .isEqualTo(faulty / Messages.Fault.values().length);
        }
        ObjectNode raw =
                services.clickHouseRows(
                                "SELECT raw_payload FROM events_dead_letter_queue FINAL WHERE raw_payload LIKE 'not json%' LIMIT 1")
                        .get(0);
        assertThat(raw.get("raw_payload").asText()).startsWith("not json ");
    }

    /** {@code scripts/plugin-server --healthcheck}, in process, against the tests' Redis index. */
    private static int runHealthcheck(Settings settings) {
        return PluginServer.run(
                new String[] {"--healthcheck", "-Dplugin-server.redis-url=" + settings.redisUrl()},
                services.environment());
    }
}
