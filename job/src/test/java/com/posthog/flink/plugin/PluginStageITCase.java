package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's fixture plugins (udf-plugins/fixtures) configured in Postgres and run by the plugin
 * stage over a file of events, against real Postgres, Redis and ClickHouse: the chain in order with
 * its bookkeeping, a throwing plugin recorded while the event goes on, a dropped event, storage,
 * console logs and a captured event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginStageITCase {

    private TestServices services;
    private String summary;
    private long throwerConfig;
    private long onEventConfig;
    private String capturedTopic;

    private long install(String fixture, String name, int order, String config) throws Exception {
        return services.installPlugin(name, "file:udf-plugins/fixtures/" + fixture, order, config);
    }

    @BeforeAll
    void runThePluginsOverAFile(@TempDir Path dir) throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
        install("dropper", "dropper", 1, "{}");
        throwerConfig = install("thrower", "thrower", 2, "{}");
        install("add-property", "adder", 3, "{\"value\":\"from config\"}");
        install("logger", "logger", 4, "{}");
        onEventConfig = install("on-event", "on-event", 5, "{}");
        capturedTopic = services.newTopic("it_plugin_captures");
        List<String> messages =
                List.of(
                        Messages.event(1, "u1", "$pageview", "{}"),
                        Messages.event(2, "u1", "drop me", "{}"),
                        Messages.event(3, "u1", "capture me", "{}"),
                        Messages.event(4, "u1", "$pageview", "{}"),
                        Messages.event(5, "u1", "fail on event", "{}"),
                        Messages.event(
                                6,
                                "u1",
                                "$snapshot",
                                "{\"$session_id\":\"s1\",\"$snapshot_data\":{}}"));
        summary =
                InputFileRun.runMessages(
                                services,
                                dir,
                                messages,
                                Map.of(
                                        "plugin-server.base-dir",
                                        TestServices.repoRoot().toString(),
                                        "plugin-server.kafka-consumption-topic",
                                        capturedTopic))
                        .lastLine();
    }

    private JsonNode properties(String eventName) throws Exception {
        List<ObjectNode> rows =
                services.clickHouseRows(
                        "SELECT properties FROM events FINAL WHERE event = '"
                                + eventName
                                + "' ORDER BY timestamp");
        assertThat(rows).isNotEmpty();
        return Json.parse(rows.get(rows.size() - 1).get("properties").asText());
    }

    @Test
    void aDroppedEventIsCountedAndTheOthersAreIngested() throws Exception {
        assertThat(summary).isEqualTo("input-file: lines=6 ingested=5 dropped=1 dead_letters=0");
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM events FINAL WHERE event = 'drop me'"))
                .isZero();
    }

    @Test
    void theChainRunsInOrderWithItsBookkeeping() throws Exception {
        JsonNode properties = properties("capture me");
        assertThat(properties.get("added").asText()).isEqualTo("from config");
        assertThat(properties.get("touched_by_thrower").asBoolean()).isTrue();
        assertThat(properties.get("$plugins_succeeded").toString())
                .isEqualTo(
                        "[\"dropper ("
                                + (throwerConfig - 1)
                                + ")\",\"adder ("
                                + (throwerConfig + 1)
                                + ")\",\"logger ("
                                + (throwerConfig + 2)
                                + ")\"]");
        assertThat(properties.get("$plugins_deferred").toString())
                .isEqualTo("[\"on-event (" + onEventConfig + ")\"]");
        assertThat(properties.get("$plugins_failed").toString())
                .isEqualTo("[\"thrower (" + throwerConfig + ")\"]");
    }

    @Test
    void storageAndGlobalPersistAcrossEvents() throws Exception {
        // The dropper removes one of the four events first, so the adder sees three.
        assertThat(properties("$pageview").get("count").asInt()).isEqualTo(3);
        assertThat(properties("$pageview").get("seen").asInt()).isEqualTo(3);
        assertThat(properties("fail on event").get("count").asInt()).isEqualTo(4);
    }

    @Test
    void aThrowingPluginIsRecordedOnItsConfigAndInThePluginLog() throws Exception {
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_pluginconfig WHERE id = "
                                        + throwerConfig
                                        + " AND error->>'message' = 'error thrown in plugin' AND error->>'name' = 'Error'"))
                .isOne();
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE plugin_config_id = "
                                        + throwerConfig
                                        + " AND type = 'ERROR' AND source = 'PLUGIN' AND message = 'error thrown in plugin'"))
                .isEqualTo(4);
    }

    @Test
    void consoleLogsAndSystemMessagesReachThePluginLog() throws Exception {
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE source = 'CONSOLE' AND type = 'LOG' AND message = 'logged capture me'"))
                .isOne();
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE source = 'SYSTEM' AND message LIKE 'Plugin loaded (instance ID %'"))
                .isEqualTo(5);
    }

    @Test
    void aCapturedEventGoesBackToTheIngestionTopic() throws Exception {
        List<String> captured = services.consumeAll(capturedTopic);
        assertThat(captured).hasSize(1);
        JsonNode message = Json.parse(captured.get(0));
        JsonNode data = Json.parse(message.get("data").asText());
        assertThat(message.get("team_id").asInt()).isEqualTo(2);
        assertThat(data.get("event").asText()).isEqualTo("captured by plugin");
        assertThat(data.get("distinct_id").asText()).isEqualTo("plugin-user");
        assertThat(data.get("properties").get("$lib").asText()).isEqualTo("posthog-plugin-server");
    }

    @Test
    void capabilitiesAreWrittenToThePlugin() throws Exception {
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_plugin WHERE name = 'adder'"
                                        + " AND capabilities->'methods' = '[\"processEvent\", \"setupPlugin\"]'::jsonb"))
                .isOne();
    }

    @Test
    void onEventGetsTheProcessedEventsAndOnSnapshotTheRecordings() throws Exception {
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE plugin_config_id = "
                                        + onEventConfig
                                        + " AND source = 'CONSOLE' AND message = 'onEvent capture me from config'"))
                .isOne();
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE plugin_config_id = "
                                        + onEventConfig
                                        + " AND source = 'CONSOLE' AND message LIKE 'onEvent %'"))
                .isEqualTo(3);
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM plugin_log_entries WHERE plugin_config_id = "
                                        + onEventConfig
                                        + " AND message = 'onSnapshot s1'"))
                .isOne();
    }

    @Test
    void aFailingOnEventIsRecordedAndTheEventIsStillIngested() throws Exception {
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_pluginconfig WHERE id = "
                                        + onEventConfig
                                        + " AND error->>'message' = 'onEvent failed on purpose'"))
                .isOne();
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM events FINAL WHERE event = 'fail on event'"))
                .isOne();
    }
}
