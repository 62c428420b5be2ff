package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Storage, error bookkeeping and the plugin log against the real {@code posthog_plugin*} tables.
 */
class PluginPostgresITCase {

    private static final String ORG = "0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001";
    private static final String INSTANCE = "017cc6a0-6d7b-0000-8f8c-2a6f1bd9a3c2";
    private static final long TIME = 1_635_415_200_123L;

    private static PostgresClient postgres;

    @BeforeAll
    static void pluginAndConfigs() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        postgres = new PostgresClient(services.postgres());
        sql(
                "INSERT INTO posthog_plugin (id, organization_id, plugin_type, name, capabilities)"
                        + " VALUES (1, '"
                        + ORG
                        + "', 'source', 'p', '{}');"
                        + " INSERT INTO posthog_pluginconfig (id, team_id, plugin_id, enabled, \"order\")"
                        + " VALUES (11, 2, 1, true, 0), (12, 2, 1, true, 1), (13, 2, 1, true, 2),"
                        + " (14, 2, 1, true, 3)");
    }

    @AfterAll
    static void close() {
        if (postgres != null) {
            postgres.close();
        }
    }

    // --- storage

    @Test
    void storageRoundTripsPerConfig() throws Exception {
        PostgresPluginStorage storage = new PostgresPluginStorage(postgres);

        storage.set(11, "counter", "1");
        storage.set(11, "counter", "{\"n\":2}");
        storage.set(12, "counter", "\"other\"");

        assertThat(storage.get(11, "counter")).isEqualTo("{\"n\":2}");
        assertThat(storage.get(12, "counter")).isEqualTo("\"other\"");
        assertThat(storage.get(11, "missing")).isNull();
        assertThat(count("SELECT count(*) FROM posthog_pluginstorage WHERE plugin_config_id = 11"))
                .isEqualTo(1);

        storage.del(11, "counter");

        assertThat(storage.get(11, "counter")).isNull();
        assertThat(storage.get(12, "counter")).isEqualTo("\"other\"");
    }

    // --- errors, disabling, capabilities

    @Test
    void setErrorOverwritesAndClearErrorOnlyClearsASetOne() throws Exception {
        PluginErrors.setError(postgres, 12, PluginErrors.errorJson("first", TIME));
        PluginErrors.setError(
                postgres, 12, PluginErrors.errorJson("TypeError", "second", "stack", null, TIME));

        assertThat(json("SELECT error FROM posthog_pluginconfig WHERE id = 12"))
                .isEqualTo(
                        Json.parse(
                                "{\"message\":\"second\",\"time\":\"2021-10-28T10:00:00.123Z\","
                                        + "\"name\":\"TypeError\",\"stack\":\"stack\"}"));

        assertThat(PluginErrors.clearError(postgres, 12)).isTrue();
        assertThat(PluginErrors.clearError(postgres, 12)).isFalse();
        assertThat(
                        count(
                                "SELECT count(*) FROM posthog_pluginconfig WHERE id = 12 AND error IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void disableOnlyTurnsAnEnabledConfigOff() throws Exception {
        assertThat(PluginErrors.disable(postgres, 13)).isTrue();
        assertThat(PluginErrors.disable(postgres, 13)).isFalse();
        assertThat(count("SELECT count(*) FROM posthog_pluginconfig WHERE id = 13 AND NOT enabled"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM posthog_pluginconfig WHERE id = 14 AND enabled"))
                .isEqualTo(1);
    }

    @Test
    void capabilitiesAreWrittenOnlyWhenTheyDiffer() throws Exception {
        JsonNode capabilities =
                Json.parse(
                        "{\"methods\":[\"processEvent\"],\"scheduled_tasks\":[],\"jobs\":[\"x\"]}");
        JsonNode sameInAnotherOrder =
                Json.parse(
                        "{\"jobs\":[\"x\"],\"methods\":[\"processEvent\"],\"scheduled_tasks\":[]}");

        assertThat(PluginErrors.setCapabilities(postgres, 1, capabilities)).isTrue();
        assertThat(PluginErrors.setCapabilities(postgres, 1, sameInAnotherOrder)).isFalse();
        assertThat(json("SELECT capabilities FROM posthog_plugin WHERE id = 1"))
                .isEqualTo(capabilities);

        JsonNode more =
                Json.parse(
                        "{\"methods\":[\"processEvent\",\"onEvent\"],\"scheduled_tasks\":[],\"jobs\":[\"x\"]}");
        assertThat(PluginErrors.setCapabilities(postgres, 1, more)).isTrue();
        assertThat(json("SELECT capabilities FROM posthog_plugin WHERE id = 1")).isEqualTo(more);
    }

    // --- plugin log

    @Test
    void logEntriesAreWrittenOnceAndARefusedRowDoesNotTakeItsBatchDown() throws Exception {
        PluginLogEntry console =
                entry(14, PluginLogEntry.Source.CONSOLE, PluginLogEntry.Type.LOG, "hello");
        PluginLogEntry system =
                entry(
                        14,
                        PluginLogEntry.Source.SYSTEM,
                        PluginLogEntry.Type.INFO,
                        "Plugin loaded (instance ID " + INSTANCE + ").");
        PluginLogEntry ofDeletedConfig =
                entry(999, PluginLogEntry.Source.PLUGIN, PluginLogEntry.Type.ERROR, "x");
        PostgresPluginLogWriter writer = new PostgresPluginLogWriter(postgres);

        writer.write(List.of(console, ofDeletedConfig, system));
        writer.write(List.of(console));

        List<String> rows = new ArrayList<>();
        postgres.execute(
                c -> {
                    try (Statement s = c.createStatement();
                            ResultSet r =
                                    s.executeQuery(
                                            "SELECT id, team_id, plugin_id, plugin_config_id,"
                                                    + " timestamp, source, type, message, instance_id"
                                                    + " FROM posthog_pluginlogentry ORDER BY id")) {
                        while (r.next()) {
                            rows.add(
                                    String.join(
                                            "|",
                                            r.getString(1),
                                            r.getString(2),
                                            r.getString(3),
                                            r.getString(4),
                                            r.getObject(5, java.time.OffsetDateTime.class)
                                                    .toInstant()
                                                    .toString(),
                                            r.getString(6),
                                            r.getString(7),
                                            r.getString(8),
                                            r.getString(9)));
                        }
                    }
                    return null;
                });
        String time = Instant.ofEpochMilli(TIME).toString();
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        console.id() + "|2|1|14|" + time + "|CONSOLE|LOG|hello|" + INSTANCE,
                        system.id()
                                + "|2|1|14|"
                                + time
                                + "|SYSTEM|INFO|"
                                + system.message()
                                + "|"
                                + INSTANCE);
    }

    private static PluginLogEntry entry(
            long configId, PluginLogEntry.Source source, PluginLogEntry.Type type, String message) {
        return PluginLogEntry.create(2, 1, configId, TIME, source, type, message, INSTANCE);
    }

    private static void sql(String sql) throws SQLException {
        postgres.execute(
                c -> {
                    try (Statement s = c.createStatement()) {
                        return s.execute(sql);
                    }
                });
    }

    private static long count(String sql) throws SQLException {
        return postgres.execute(
                c -> {
                    try (Statement s = c.createStatement();
                            ResultSet r = s.executeQuery(sql)) {
                        r.next();
                        return r.getLong(1);
                    }
                });
    }

    private static JsonNode json(String sql) throws Exception {
        String text =
                postgres.execute(
                        c -> {
                            try (Statement s = c.createStatement();
                                    ResultSet r = s.executeQuery(sql)) {
                                r.next();
                                return r.getString(1);
                            }
                        });
        return Json.parse(text);
    }
}
