package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.Json;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code exportEvents} buffers in keyed state (spec §2.5) on the plugin stage with a controlled
 * clock: batches by byte limit, the last one after {@code exportEventsBufferSeconds}, ignored
 * events, {@code RetryError} retried with backoff, and a buffer kept across a snapshot.
 */
class ExportEventsITCase {

    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, PipelineEvent> harness;
    private Settings settings;
    private long start;

    private void open(String configJson) throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        services.installPlugin("exporter", "file:udf-plugins/fixtures/exporter", 1, configJson);
        settings =
                services.settings("unused", "unused", true)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
        start = System.currentTimeMillis();
        harness = newHarness();
        harness.open();
    }

    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, PipelineEvent> newHarness()
            throws Exception {
        var created =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PluginStage(settings)),
                        (PipelineEvent event) -> event.teamId,
                        Types.LONG);
        created.setProcessingTime(start);
        return created;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static PipelineEvent event(int n, String name) throws Exception {
        return MessageParser.parse(Messages.event(n, "u", name, "{}"), n);
    }

    private List<String> batches() {
        return harness.getSideOutput(Outputs.PLUGIN_LOGS) == null
                ? List.of()
                : harness.getSideOutput(Outputs.PLUGIN_LOGS).stream()
                        .map(StreamRecord::getValue)
                        .filter(entry -> entry.source() == PluginLogEntry.Source.CONSOLE)
                        .map(PluginLogEntry::message)
                        .toList();
    }

    @Test
    void aByteLimitOfSevenEventsGivesBatchesOfSevenAndTheRestAfterTheTimeout() throws Exception {
        int size = event(1, "e").body.length();
        open(
                "{\"exportEventsBufferBytes\":\""
                        + (7 * size + size / 2)
                        + "\",\"exportEventsBufferSeconds\":\"5\"}");
        for (int n = 1; n <= 100; n++) {
            harness.processElement(new StreamRecord<>(event(n, "e"), n));
        }
        assertThat(batches()).hasSize(14).allMatch(batch -> batch.equals("batch 7"));

        harness.setProcessingTime(start + 5_000);
        assertThat(batches()).hasSize(15).last().isEqualTo("batch 2");
    }

    @Test
    void aLimitOfOneByteSendsEveryEventAloneAndIgnoredEventsAreSkipped() throws Exception {
        open("{\"exportEventsBufferBytes\":\"1\",\"exportEventsToIgnore\":\" skip , other \"}");
        harness.processElement(new StreamRecord<>(event(1, "e"), 1));
        harness.processElement(new StreamRecord<>(event(2, "skip"), 2));
        harness.processElement(new StreamRecord<>(event(3, "e"), 3));
        harness.processElement(new StreamRecord<>(event(4, "other"), 4));
        harness.processElement(new StreamRecord<>(event(5, "e"), 5));
        harness.setProcessingTime(start + 10_000);

        assertThat(batches()).containsExactly("batch 1", "batch 1", "batch 1");
    }

    @Test
    void aBatchThatAsksForARetryIsExportedLaterWithBackoff() throws Exception {
        open("{\"exportEventsBufferSeconds\":\"1\"}");
        harness.processElement(new StreamRecord<>(event(1, "retry me"), 1));

        harness.setProcessingTime(start + 1_000); // attempt 1: retry in 6 s
        harness.setProcessingTime(start + 7_000); // attempt 2: retry in 12 s
        assertThat(batches()).isEmpty();
        harness.setProcessingTime(start + 19_000); // attempt 3 goes through
        assertThat(batches()).containsExactly("batch 1");
        // Only the team's schedule is left: it sends the export metrics every half hour.
        assertThat(harness.numKeyedStateEntries()).isOne();
    }

    @Test
    void theFiveExportMetricsCountEachBatchAndAreSentWithThePluginMetrics() throws Exception {
        open("{\"exportEventsBufferSeconds\":\"1\"}");
        harness.processElement(new StreamRecord<>(event(1, "retry me"), 1));
        harness.processElement(new StreamRecord<>(event(2, "e"), 2));
        harness.setProcessingTime(start + 1_000); // attempt 1: retry in 6 s
        harness.setProcessingTime(start + 7_000); // attempt 2: retry in 12 s
        harness.setProcessingTime(start + 19_000); // attempt 3 goes through
        harness.processElement(new StreamRecord<>(event(3, "e"), 3));
        harness.setProcessingTime(start + 21_000);
        assertThat(batches()).containsExactly("batch 2", "batch 1");

        harness.setProcessingTime(start + 31 * 60_000); // past a half hour: metrics go out

        List<JsonNode> sent = new java.util.ArrayList<>();
        for (StreamRecord<com.posthog.flink.event.KafkaMessage> record :
                harness.getSideOutput(Outputs.CAPTURED)) {
            JsonNode data = Json.parse(Json.parse(record.getValue().value).get("data").asText());
            if (data.get("event").asText().equals("$$plugin_metrics")) {
                sent.add(data);
            }
        }
        assertThat(sent).hasSize(1);
        JsonNode metrics = sent.get(0).get("properties");
        // As the original: events_seen counts batches delivered at their first attempt only.
        assertThat(metrics.get("events_seen").asInt()).isEqualTo(1);
        assertThat(metrics.get("events_delivered_successfully").asInt()).isEqualTo(3);
        assertThat(metrics.get("retry_errors").asInt()).isEqualTo(4);
        assertThat(metrics.has("undelivered_events")).isFalse();
        assertThat(metrics.has("other_errors")).isFalse();
        assertThat(
                        Json.parse(
                                TestServices.fromEnvironment()
                                        .postgresValue(
                                                "SELECT metrics::text FROM posthog_plugin WHERE name = 'exporter'")))
                .isEqualTo(
                        Json.parse(
                                "{\"events_seen\":\"sum\",\"events_delivered_successfully\":\"sum\","
                                        + "\"undelivered_events\":\"sum\",\"retry_errors\":\"sum\",\"other_errors\":\"sum\"}"));
    }

    @Test
    void aBufferedBatchSurvivesASnapshotAndRestore() throws Exception {
        open("{\"exportEventsBufferSeconds\":\"5\"}");
        harness.processElement(new StreamRecord<>(event(1, "e"), 1));
        harness.processElement(new StreamRecord<>(event(2, "e"), 2));
        var snapshot = harness.snapshot(1, start);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(start + 5_000);

        assertThat(batches()).containsExactly("batch 2");
    }

    @Test
    void anInputFileFlushesTheBuffersAtItsEnd(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        long config =
                services.installPlugin(
                        "exporter",
                        "file:udf-plugins/fixtures/exporter",
                        1,
                        "{\"exportEventsBufferSeconds\":\"600\"}");

        var run =
                com.posthog.flink.testing.InputFileRun.runMessages(
                        services,
                        dir,
                        List.of(
                                Messages.event(1, "u", "e", "{}"),
                                Messages.event(2, "u", "e", "{}"),
                                Messages.event(3, "u", "e", "{}")),
                        java.util.Map.of(
                                "plugin-server.base-dir", TestServices.repoRoot().toString()));

        assertThat(run.lastLine())
                .isEqualTo("input-file: lines=3 ingested=3 dropped=0 dead_letters=0");
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE plugin_config_id = "
                                        + config
                                        + " AND message = 'batch 3'"))
                .isOne();
    }
}
