package com.posthog.flink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.config.Settings;
import com.posthog.flink.sink.Sinks;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.StoredPersons;
import com.posthog.flink.testing.StoredPersons.Person;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill the job mid-stream, restart it from its last checkpoint, and the persons, distinct ids and
 * events are the same as after an uninterrupted run of the same messages, with no duplicates.
 */
class RestoreITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int USERS = 250;

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestServices.miniCluster();

    private static TestServices services;

    @BeforeAll
    static void connect() {
        services = TestServices.fromEnvironment();
    }

    @Test
    void aRestoreFromTheLastCheckpointEndsLikeAnUninterruptedRun(@TempDir Path checkpoints)
            throws Exception {
        List<String> messages = Messages.identityStory(USERS, 7);
        int half = messages.size() / 2;

        services.freshDatabases();
        String topic = services.newTopic("it_restore_reference", 1);
        services.produce(topic, messages);
        JobClient reference = start(topic, new Configuration());
        awaitConsumed(topic);
        reference.cancel().get();
        Map<String, Person> expected = StoredPersons.read(services);
        long expectedEvents = services.clickHouseCount("SELECT count() FROM events FINAL");

        services.freshDatabases();
        String interrupted = services.newTopic("it_restore_interrupted", 1);
        services.produce(interrupted, messages.subList(0, half));
        Configuration retained = new Configuration();
        retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        retained.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        JobClient first = start(interrupted, retained);
        TestServices.await(
                "some events of the first half",
                TIMEOUT,
                () ->
                        services.clickHouseCount("SELECT count() FROM events") > half / 3
                                && latestCheckpoint(checkpoints) != null);
        first.cancel().get();

        Configuration restore = new Configuration(retained);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, latestCheckpoint(checkpoints).toString());
        JobClient second = start(interrupted, restore);
        services.produce(interrupted, messages.subList(half, messages.size()));
        awaitConsumed(interrupted);
        second.cancel().get();

        assertThat(StoredPersons.read(services)).isEqualTo(expected);
        assertThat(expected).hasSizeGreaterThan(USERS / 2);
        assertThat(services.clickHouseCount("SELECT count() FROM events FINAL"))
                .isEqualTo(expectedEvents);
        assertThat(services.clickHouseCount("SELECT uniqExact(uuid) FROM events FINAL"))
                .isEqualTo(expectedEvents);
        assertThat(expectedEvents).isEqualTo(messages.size());
    }

    private JobClient start(String topic, Configuration extra) throws Exception {
        Settings settings = services.settings(topic, topic + "_dead_letters", true);
        Configuration conf = PluginServerJob.withUpgradeRules(new Configuration(extra));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        PluginServerJob.defineWorkflow(Inputs.kafka(env, settings), settings, new Sinks(settings));
        return env.executeAsync("restore test");
    }

    private void awaitConsumed(String topic) throws Exception {
        TestServices.await(
                "the topic to be consumed and checkpointed",
                TIMEOUT,
                () -> services.consumedToEnd("it-" + topic, topic));
    }

    /** The newest completed checkpoint ({@code chk-N} with its metadata), or null. */
    private static Path latestCheckpoint(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(
                            Comparator.comparingInt(
                                    path ->
                                            Integer.parseInt(
                                                    path.getFileName().toString().substring(4))))
                    .orElse(null);
        }
    }
}
