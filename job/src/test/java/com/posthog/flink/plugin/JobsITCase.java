package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.MessageParser;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plugin jobs ({@code meta.jobs}) kept in keyed state and run from timers on the plugin stage, with
 * a controlled clock, against the real Postgres and Redis: run now, run later, retried with backoff
 * on {@code RetryError}, and kept across a snapshot and restore.
 */
class JobsITCase {

    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, PipelineEvent> harness;
    private TestServices services;
    private Settings settings;

    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, PipelineEvent> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PluginStage(settings)),
                event -> event.teamId,
                Types.LONG);
    }

    private long configId;

    private void setUp() throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
        configId = services.installPlugin("jobs", "file:udf-plugins/fixtures/jobs", 1, "{}");
        settings =
                services.settings("unused", "unused", true)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static List<String> logs(
            OneInputStreamOperatorTestHarness<PipelineEvent, PipelineEvent> harness) {
        return harness.getSideOutput(Outputs.PLUGIN_LOGS) == null
                ? List.of()
                : harness.getSideOutput(Outputs.PLUGIN_LOGS).stream()
                        .map(StreamRecord::getValue)
                        .filter(entry -> entry.source() == PluginLogEntry.Source.CONSOLE)
                        .map(PluginLogEntry::message)
                        .toList();
    }

    @Test
    void jobsRunWhenDueAndRetryWithBackoffOnRetryError() throws Exception {
        setUp();
        long start = System.currentTimeMillis();
        harness = newHarness();
        harness.setProcessingTime(start);
        harness.open();

        harness.processElement(
                new StreamRecord<>(
                        MessageParser.parse(Messages.event(1, "u", "enqueue", "{}"), 0)));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(start + 2_000);
        assertThat(logs(harness)).containsExactly("hello 1");

        harness.setProcessingTime(start + 12_000); // flaky, attempt 1: retry after 6 s
        harness.setProcessingTime(start + 19_000); // attempt 2: retry after 12 s
        assertThat(logs(harness)).containsExactly("hello 1");
        harness.setProcessingTime(start + 32_000); // attempt 3 succeeds
        assertThat(logs(harness)).containsExactly("hello 1", "flaky done after 3");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aJobTheAppStartsRunsNowAndOneForAConfigNotInForceIsDropped() throws Exception {
        setUp();
        long start = System.currentTimeMillis();
        harness = newHarness();
        harness.setProcessingTime(start);
        harness.open();

        harness.processElement(
                new StreamRecord<>(
                        PipelineEvent.job(
                                2, new PendingJob("elsewhere", configId + 1, "echo", "{}", 0))));
        harness.processElement(
                new StreamRecord<>(
                        PipelineEvent.job(
                                3, new PendingJob("other team", configId, "echo", "{}", 0))));
        assertThat(harness.numKeyedStateEntries()).isZero();

        harness.processElement(
                new StreamRecord<>(
                        PipelineEvent.job(
                                2,
                                new PendingJob(
                                        "app",
                                        configId,
                                        "echo",
                                        "{\"$operation\":\"start\"}",
                                        0))));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(start + 1);

        assertThat(logs(harness)).containsExactly("echo {\"$operation\":\"start\"}");
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aPendingJobSurvivesASnapshotAndRestore() throws Exception {
        setUp();
        long start = System.currentTimeMillis();
        harness = newHarness();
        harness.setProcessingTime(start);
        harness.open();
        harness.processElement(
                new StreamRecord<>(
                        MessageParser.parse(Messages.event(1, "u", "enqueue", "{}"), 0)));
        var snapshot = harness.snapshot(1, start);
        harness.close();

        harness = newHarness();
        harness.setProcessingTime(start);
        harness.initializeState(snapshot);
        harness.open();
        // runNow was due at the wall-clock time of the enqueue, after the plugin loaded.
        harness.setProcessingTime(System.currentTimeMillis() + 2_000);

        assertThat(logs(harness)).containsExactly("hello 1");
    }
}
