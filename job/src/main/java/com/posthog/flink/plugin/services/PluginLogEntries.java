package com.posthog.flink.plugin.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.sink.ClickHouseRows;

/** Plugin log entries as rows of the ClickHouse table {@code plugin_log_entries}. */
public final class PluginLogEntries {

    private PluginLogEntries() {}

    /** A row of {@code plugin_log_entries}; DateTimes in UTC, to the second. */
    public static ObjectNode clickHouseRow(PluginLogEntry entry) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("id", entry.id());
        row.put("team_id", entry.teamId());
        row.put("plugin_id", entry.pluginId());
        row.put("plugin_config_id", entry.pluginConfigId());
        row.put("timestamp", ClickHouseRows.dateTime(entry.timestamp()));
        row.put("source", entry.source().name());
        row.put("type", entry.type().name());
        row.put("message", entry.message());
        row.put("instance_id", entry.instanceId());
        row.put("_timestamp", ClickHouseRows.dateTime(System.currentTimeMillis()));
        row.put("_offset", 0);
        return row;
    }
}
