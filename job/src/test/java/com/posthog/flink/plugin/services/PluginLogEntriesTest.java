package com.posthog.flink.plugin.services;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PluginLogEntriesTest {

    private static final long TIME = 1_635_415_200_123L;
    private static final String INSTANCE = "017cc6a0-6d7b-0000-8f8c-2a6f1bd9a3c2";

    @Test
    void createGivesAFreshUuidt() {
        PluginLogEntry first = entry();
        PluginLogEntry second = entry();

        assertThat(first.id()).isNotEqualTo(second.id()).hasSize(36);
        assertThat(first.timestamp()).isEqualTo(TIME);
    }

    @Test
    void clickHouseRowHasTheTableColumnsWithSecondsInUtc() {
        PluginLogEntry entry = entry();

        ObjectNode row = PluginLogEntries.clickHouseRow(entry);

        assertThat(row.get("id").asText()).isEqualTo(entry.id());
        assertThat(row.get("team_id").asLong()).isEqualTo(2);
        assertThat(row.get("plugin_id").asLong()).isEqualTo(5);
        assertThat(row.get("plugin_config_id").asLong()).isEqualTo(9);
        assertThat(row.get("timestamp").asText()).isEqualTo("2021-10-28 10:00:00");
        assertThat(row.get("source").asText()).isEqualTo("CONSOLE");
        assertThat(row.get("type").asText()).isEqualTo("WARN");
        assertThat(row.get("message").asText()).isEqualTo("number = 987");
        assertThat(row.get("instance_id").asText()).isEqualTo(INSTANCE);
        assertThat(row.get("_timestamp").asText())
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(row.get("_offset").asLong()).isZero();
    }

    @Test
    void logEntriesCrossOperatorsAsFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(PluginLogEntry.class);
    }

    private static PluginLogEntry entry() {
        return PluginLogEntry.create(
                2,
                5,
                9,
                TIME,
                PluginLogEntry.Source.CONSOLE,
                PluginLogEntry.Type.WARN,
                "number = 987",
                INSTANCE);
    }
}
