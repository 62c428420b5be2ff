package com.posthog.flink.plugin.celery;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.pipeline.PluginServerJob;
import com.posthog.flink.sink.Sinks;
import com.posthog.flink.testing.CeleryTasks;
import com.posthog.flink.testing.TestServices;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * Jobs the PostHog app starts through the Celery queue, against the real Redis and Postgres: kombu
 * protocol v1 and v2 messages start a job of the plugin config with the payload and {@code
 * $operation}; malformed messages and other tasks are dead letters and the job goes on; a message
 * taken but not covered by a completed checkpoint goes back to the queue on restart, and one that
 * is covered does not.
 */
class CeleryPluginJobsITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestServices.miniCluster();

    private final TestServices services = TestServices.fromEnvironment();
    private final String queue = "it-celery-" + UUID.randomUUID();
    private final String redisUrl =
            services.dynamicProperties().get(PluginServerOptions.REDIS_URL.key());
    private final JedisPooled redis = new JedisPooled(URI.create(redisUrl));
    private OneInputStreamOperatorTestHarness<Long, PipelineEvent> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
        redis.del(queue, InFlightQueue.inFlightKey(queue));
        redis.close();
    }

    private OneInputStreamOperatorTestHarness<Long, PipelineEvent> newHarness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new CeleryPluginJobs.TakePluginJobs(redisUrl, queue)));
    }

    /** One poll; the job records it emitted, by job name. */
    private List<String> poll() throws Exception {
        int before = harness.extractOutputValues().size();
        harness.processElement(new StreamRecord<>(0L));
        List<PipelineEvent> output = harness.extractOutputValues();
        return output.subList(before, output.size()).stream().map(r -> r.job.name).toList();
    }

    @Test
    void aMessageIsAcknowledgedOnlyWhenACheckpointCoveringItCompletes() throws Exception {
        harness = newHarness();
        harness.open();
        redis.lpush(queue, CeleryTasks.pluginJob(2, 1, "first", "{}"));

        assertThat(poll()).containsExactly("first");
        harness.snapshot(1, 0);
        assertThat(redis.llen(InFlightQueue.inFlightKey(queue))).isEqualTo(1);

        harness.notifyOfCompletedCheckpoint(1);
        assertThat(redis.llen(InFlightQueue.inFlightKey(queue))).isZero();
        assertThat(redis.llen(queue)).isZero();
    }

    @Test
    void onRestoreMessagesTakenAfterTheCheckpointAreTakenAgainAndCoveredOnesAreNot()
            throws Exception {
        harness = newHarness();
        harness.open();
        redis.lpush(queue, CeleryTasks.pluginJob(2, 1, "covered", "{}"));
        assertThat(poll()).containsExactly("covered");
        OperatorSubtaskState checkpoint = harness.snapshot(1, 0);
        redis.lpush(queue, CeleryTasks.pluginJob(2, 1, "after the checkpoint", "{}"));
        redis.lpush(queue, CeleryTasks.pluginJob(2, 1, "later still", "{}"));
        assertThat(poll()).containsExactly("after the checkpoint", "later still");
        // The job fails before checkpoint 1 is confirmed, and restores from it.
        harness.close();

        harness = newHarness();
        harness.initializeState(checkpoint);
        harness.open();

        assertThat(poll()).containsExactly("after the checkpoint", "later still");
        harness.snapshot(2, 0);
        harness.notifyOfCompletedCheckpoint(2);
        assertThat(redis.llen(InFlightQueue.inFlightKey(queue))).isZero();
        assertThat(redis.llen(queue)).isZero();
    }

    @Test
    void malformedMessagesAndOtherTasksAreDeadLettersAndTheNextJobStillStarts() throws Exception {
        harness = newHarness();
        harness.open();
        String otherTask =
                CeleryTasks.v2(
                        "posthog.tasks.process_event.process_event_with_plugins",
                        "[\"d\", null, null, {}, 2, \"now\", \"now\"]");
        redis.lpush(queue, "not json", otherTask, CeleryTasks.pluginJob(2, 1, "next", "{}"));

        assertThat(poll()).containsExactly("next");
        List<DeadLetter> letters =
                harness.getSideOutput(Outputs.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(letters).extracting(l -> l.rawPayload).containsExactly("not json", otherTask);
        assertThat(letters)
                .extracting(l -> l.errorLocation)
                .containsOnly(DeadLetter.CELERY_LOCATION);
        assertThat(letters)
                .extracting(l -> l.error)
                .containsExactly(
                        "processTask failed. Error: The message is not a JSON object",
                        "processTask failed. Error: Missing process handler for task posthog.tasks.process_event.process_event_with_plugins");
    }

    @Test
    void protocolV1AndV2TasksStartTheJobInTheRunningJobWithTheirPayloadAndOperation()
            throws Exception {
        services.freshDatabases();
        long configId = services.installPlugin("jobs", "file:udf-plugins/fixtures/jobs", 1, "{}");
        String topic = services.newTopic("it_celery");
        String deadLetterTopic = services.newTopic("it_celery_dead_letters");
        Settings settings =
                services.settings(topic, deadLetterTopic, false)
                        .with(PluginServerOptions.PLUGINS_CELERY_QUEUE, queue)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
        StreamExecutionEnvironment env = TestServices.streamingEnvironment();
        PluginServerJob.defineWorkflow(
                Inputs.kafka(env, settings),
                null,
                CeleryPluginJobs.stream(env, settings),
                settings,
                new Sinks(settings));
        JobClient job = env.executeAsync("celery plugin jobs test");
        try {
            redis.lpush(
                    queue,
                    CeleryTasks.v2(
                            CeleryTasks.PLUGIN_JOB,
                            "[2, " + configId + ", \"echo\", \"start\", {\"protocol\": 2}]"),
                    "{\"malformed\": true}",
                    CeleryTasks.v1(
                            CeleryTasks.PLUGIN_JOB,
                            "[2, " + configId + ", \"echo\", \"stop\", {\"protocol\": 1}]"));

            TestServices.await(
                    "both jobs in the plugin log", TIMEOUT, () -> echoes(configId).size() == 2);
            assertThat(echoes(configId))
                    .containsExactlyInAnyOrder(
                            "echo {\"protocol\":2,\"$operation\":\"start\"}",
                            "echo {\"protocol\":1,\"$operation\":\"stop\"}");
            TestServices.await(
                    "the messages acknowledged after a checkpoint",
                    TIMEOUT,
                    () -> redis.llen(InFlightQueue.inFlightKey(queue)) == 0);
            assertThat(redis.llen(queue)).isZero();
            List<String> deadLetters = services.consumeAll(deadLetterTopic);
            assertThat(deadLetters).hasSize(1);
            assertThat(Json.parseObject(deadLetters.get(0)).path("raw_payload").asText())
                    .isEqualTo("{\"malformed\": true}");
        } finally {
            job.cancel().get();
        }
    }

    private List<String> echoes(long configId) throws Exception {
        return services.postgresValues(
                "SELECT message FROM posthog_pluginlogentry WHERE plugin_config_id = "
                        + configId
                        + " AND message LIKE 'echo %' ORDER BY timestamp");
    }
}
