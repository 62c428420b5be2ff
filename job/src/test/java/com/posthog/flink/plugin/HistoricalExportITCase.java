package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.MessageParser;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The historical export of plugins with {@code exportEvents} (spec §2.6, scenario 82) on the plugin
 * stage, reading events stored in ClickHouse (ClickHouse pipeline) or Postgres (Postgres pipeline):
 * the {@code Export historical events} job walks the range in 10-minute windows of at most 100
 * events and hands each event to {@code exportEvents} once; a range without events exports none.
 */
class HistoricalExportITCase {

    private static final DateTimeFormatter CLICKHOUSE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TestServices services = TestServices.fromEnvironment();
    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, PipelineEvent> harness;
    private long configId;
    private int messages;

    private void open(boolean clickHousePipeline) throws Exception {
        services.freshDatabases();
        configId =
                services.installPlugin(
                        "history", "file:udf-plugins/fixtures/history-exporter", 1, "{}");
        Settings settings =
                services.settings("unused", "unused", clickHousePipeline)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PluginStage(settings)),
                        (PipelineEvent event) -> event.teamId,
                        Types.LONG);
        harness.setProcessingTime(System.currentTimeMillis());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void clickHouseEventsAreExportedOnceEachWindowByWindowAndPageByPage() throws Exception {
        open(true);
        long now = System.currentTimeMillis();
        List<String> old = storeInClickHouse(130, now - 30 * 60_000);
        List<String> recent = storeInClickHouse(4, now - 3 * 60_000);

        runExport("{}");
        assertThat(exportCounts(old)).containsOnly(1L);
        assertThat(exportCounts(recent)).containsOnly(1L);
        assertThat(systemLogs()).anyMatch(message -> message.endsWith("Done exporting all events"));

        String nowIso = Instant.ofEpochMilli(System.currentTimeMillis()).toString();
        runExport("{\"dateFrom\":\"" + nowIso + "\",\"dateTo\":\"" + nowIso + "\"}");
        assertThat(exportCounts(old)).containsOnly(1L);
        assertThat(exportCounts(recent)).containsOnly(1L);

        runExport(
                "{\"dateFrom\":\""
                        + Instant.ofEpochMilli(now - 10 * 60_000)
                        + "\",\"dateTo\":\""
                        + Instant.ofEpochMilli(System.currentTimeMillis())
                        + "\"}");
        assertThat(exportCounts(old)).containsOnly(1L);
        assertThat(exportCounts(recent)).containsOnly(2L);
        assertThat(
                        services.postgresValue(
                                "SELECT public_jobs -> 'Export historical events' -> 'payload' -> 'dateFrom' ->> 'type'"
                                        + " FROM posthog_plugin"))
                .isEqualTo("date");
    }

    @Test
    void postgresEventsAreExportedAndARunWithoutEventsInRangeExportsNone() throws Exception {
        open(false);
        long now = System.currentTimeMillis();
        List<String> events = storeInPostgres(4, now - 2 * 60_000);

        String nowIso = Instant.ofEpochMilli(now).toString();
        runExport("{\"dateFrom\":\"" + nowIso + "\",\"dateTo\":\"" + nowIso + "\"}");
        assertThat(exportCounts(events)).containsOnly(0L);

        runExport(
                "{\"dateFrom\":\""
                        + Instant.ofEpochMilli(now - 60 * 60_000)
                        + "\",\"dateTo\":\""
                        + nowIso
                        + "\"}");
        assertThat(exportCounts(events)).containsOnly(1L);

        runExport("{}");
        assertThat(exportCounts(events)).containsOnly(2L);
    }

    /** Sends the fixture its trigger, then runs the jobs until the export says it is done. */
    private void runExport(String payloadJson) throws Exception {
        int done = doneCount();
        harness.processElement(
                new StreamRecord<>(
                        MessageParser.parse(
                                Messages.event(++messages, "admin", "export history", payloadJson),
                                messages)));
        for (int step = 0; step < 200 && doneCount() == done; step++) {
            harness.setProcessingTime(System.currentTimeMillis());
        }
        assertThat(doneCount())
                .as("the export finished; logs: " + systemLogs())
                .isEqualTo(done + 1);
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_pluginstorage WHERE key = 'is_export_running'"))
                .isZero();
    }

    private int doneCount() {
        return (int)
                systemLogs().stream()
                        .filter(message -> message.endsWith("Done exporting all events"))
                        .count();
    }

    private List<String> systemLogs() {
        return harness.getSideOutput(Outputs.PLUGIN_LOGS) == null
                ? List.of()
                : harness.getSideOutput(Outputs.PLUGIN_LOGS).stream()
                        .map(StreamRecord::getValue)
                        .filter(entry -> entry.source() == PluginLogEntry.Source.SYSTEM)
                        .map(PluginLogEntry::message)
                        .toList();
    }

    /** How many times each event was exported (0 when never). */
    private List<Long> exportCounts(List<String> uuids) throws Exception {
        List<Long> counts = new ArrayList<>();
        for (String uuid : uuids) {
            String value =
                    services.postgresValue(
                            "SELECT COALESCE((SELECT value FROM posthog_pluginstorage WHERE plugin_config_id = "
                                    + configId
                                    + " AND key = 'export:"
                                    + uuid
                                    + "'), '0')");
            counts.add(Long.parseLong(value));
        }
        return counts;
    }

    private static String uuid(String prefix, int n) {
        return UUID.nameUUIDFromBytes((prefix + n).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Stores {@code count} events of team 2 a second apart from {@code from}, as ingestion would.
     */
    private List<String> storeInClickHouse(int count, long from) throws Exception {
        List<String> uuids = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        for (int n = 0; n < count; n++) {
            String uuid = uuid("clickhouse-" + from, n);
            uuids.add(uuid);
            ObjectNode row = Json.MAPPER.createObjectNode();
            row.put("uuid", uuid);
            row.put("event", "stored");
            row.put("properties", "{\"n\":" + n + ",\"$ip\":\"127.0.0.1\"}");
            row.put("timestamp", CLICKHOUSE_TIME.format(Instant.ofEpochMilli(from + n * 1000L)));
            row.put("team_id", 2);
            row.put("distinct_id", "user-" + n);
            row.put("elements_chain", "");
            row.put("created_at", CLICKHOUSE_TIME.format(Instant.ofEpochMilli(from)));
            row.put("_timestamp", CLICKHOUSE_TIME.format(Instant.now()));
            row.put("_offset", n);
            rows.append(Json.write(row)).append('\n');
        }
        try (ClickHouseClient clickHouse = services.clickHouse()) {
            clickHouse.insertJsonEachRow(
                    "events", rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        return uuids;
    }

    private List<String> storeInPostgres(int count, long from) throws Exception {
        List<String> uuids = new ArrayList<>();
        try (PostgresClient postgres = new PostgresClient(services.postgres())) {
            postgres.execute(
                    c -> {
                        try (PreparedStatement s =
                                c.prepareStatement(
                                        "INSERT INTO posthog_event (team_id, event, distinct_id, properties, timestamp, uuid)"
                                                + " VALUES (2, 'stored', ?, '{}'::jsonb, ?, ?::uuid)")) {
                            for (int n = 0; n < count; n++) {
                                String uuid = uuid("postgres-" + from, n);
                                uuids.add(uuid);
                                s.setString(1, "user-" + n);
                                s.setTimestamp(2, new Timestamp(from + n * 1000L));
                                s.setString(3, uuid);
                                s.executeUpdate();
                            }
                        }
                        return null;
                    });
        }
        return uuids;
    }
}
