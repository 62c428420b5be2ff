package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture plugin {@code node-compat} in the plugin stage, with storage in Postgres and the
 * cache in Redis: values written by {@code storage.set} and {@code cache.set} without {@code await}
 * are read by the next event, and a thrown string is the error's message, as Node gave them ({@code
 * plugin-runtime/node-cases.json}, recorded by {@code bench/node/record-node-cases.js}).
 */
class NodeCompatITCase {

    /** What Node gave for the event of this name, parsed. */
    private static JsonNode recorded(String eventName) throws Exception {
        JsonNode recording;
        try (InputStream in =
                NodeCompatITCase.class.getResourceAsStream("/plugin-runtime/node-cases.json")) {
            recording = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        for (JsonNode plugin : recording.get("plugins")) {
            if (plugin.get("fixture").asText().equals("node-compat")) {
                for (int i = 0; i < plugin.get("events").size(); i++) {
                    if (plugin.get("events").get(i).get("event").asText().equals(eventName)) {
                        return plugin.get("node").get(i);
                    }
                }
            }
        }
        throw new IllegalArgumentException("nothing recorded for " + eventName);
    }

    @Test
    void unawaitedWritesReachTheNextEventAndAThrownStringIsTheMessage(@TempDir Path dir)
            throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        long config =
                services.installPlugin(
                        "node-compat",
                        "file:udf-plugins/fixtures/node-compat",
                        1,
                        "{\"greeting\":\"hi\"}");
        String summary =
                InputFileRun.runMessages(
                                services,
                                dir,
                                List.of(
                                        Messages.event(1, "d1", "remember", "{\"value\":42}"),
                                        Messages.event(2, "d1", "recall", "{}"),
                                        Messages.event(3, "d1", "throw string", "{}")),
                                Map.of(
                                        "plugin-server.base-dir",
                                        TestServices.repoRoot().toString()))
                        .lastLine();
        assertThat(summary).isEqualTo("input-file: lines=3 ingested=3 dropped=0 dead_letters=0");

        List<ObjectNode> rows =
                services.clickHouseRows(
                        "SELECT properties FROM events FINAL WHERE event = 'recall'");
        assertThat(rows).hasSize(1);
        JsonNode properties = Json.parse(rows.get(0).get("properties").asText());
        JsonNode node = Json.parse(recorded("recall").get("result").asText()).get("properties");
        assertThat(properties.get("stored")).isEqualTo(node.get("stored"));
        assertThat(properties.get("cached")).isEqualTo(node.get("cached"));
        assertThat(properties.get("stored").isObject()).isTrue();

        String message = recorded("throw string").get("error").get("message").asText();
        assertThat(
                        services.postgresValue(
                                "SELECT error->>'message' FROM posthog_pluginconfig WHERE id = "
                                        + config))
                .isEqualTo(message);
    }
}
