package com.posthog.flink.plugin.services;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * The team's stored events, read for the historical export (spec §2.6): ClickHouse {@code events}
 * in the ClickHouse pipeline, Postgres {@code posthog_event} in the Postgres pipeline. Windows and
 * bounds go by the event's {@code timestamp} in both (the original used the ClickHouse insertion
 * time, {@code _timestamp}, which a replay rewrites here); pages are in a stable order.
 */
public final class EventHistory {

    private final ClickHouseClient clickHouse;
    private final PostgresClient postgres;

    private EventHistory(ClickHouseClient clickHouse, PostgresClient postgres) {
        this.clickHouse = clickHouse;
        this.postgres = postgres;
    }

    public static EventHistory clickHouse(ClickHouseClient clickHouse) {
        return new EventHistory(clickHouse, null);
    }

    public static EventHistory postgres(PostgresClient postgres) {
        return new EventHistory(null, postgres);
    }

    /** {@code {"min": ms, "max": ms}} of the team's events; nulls when there are none. */
    public String bounds(long teamId) throws Exception {
        Long min = null;
        Long max = null;
        if (clickHouse != null) {
            List<ObjectNode> rows =
                    clickHouse.query(
                            "SELECT count() AS n, toUnixTimestamp(min(timestamp)) AS min,"
                                    + " toUnixTimestamp(max(timestamp)) AS max FROM events FINAL"
                                    + " WHERE team_id = "
                                    + teamId);
            if (rows.get(0).path("n").asLong() > 0) {
                min = rows.get(0).path("min").asLong() * 1000;
                max = rows.get(0).path("max").asLong() * 1000;
            }
        } else {
            long[] found =
                    postgres.execute(
                            c -> {
                                try (PreparedStatement s =
                                        c.prepareStatement(
                                                "SELECT min(timestamp), max(timestamp) FROM posthog_event WHERE team_id = ?")) {
                                    s.setLong(1, teamId);
                                    try (ResultSet rows = s.executeQuery()) {
                                        rows.next();
                                        Timestamp first = rows.getTimestamp(1);
                                        return first == null
                                                ? null
                                                : new long[] {
                                                    first.getTime(), rows.getTimestamp(2).getTime()
                                                };
                                    }
                                }
                            });
            if (found != null) {
                min = found[0];
                max = found[1];
            }
        }
        ObjectNode bounds = Json.MAPPER.createObjectNode();
        bounds.put("min", min);
        bounds.put("max", max);
        return Json.write(bounds);
    }

    /**
     * At most {@code limit} events of the team with a timestamp in {@code [fromMs, fromMs +
     * intervalMs)}, after skipping {@code offset}, as a JSON array of plugin events.
     */
    public String events(long teamId, long fromMs, long intervalMs, long offset, long limit)
            throws Exception {
        ArrayNode events = Json.MAPPER.createArrayNode();
        if (clickHouse != null) {
            // Whole seconds in ClickHouse: an event of second t is in the window when t·1000 is.
            for (ObjectNode row :
                    clickHouse.query(
                            "SELECT toString(uuid) AS uuid, event, properties, team_id, distinct_id,"
                                    + " toUnixTimestamp(timestamp) AS ts, toUnixTimestamp(created_at) AS created"
                                    + " FROM events FINAL WHERE team_id = "
                                    + teamId
                                    + " AND timestamp >= toDateTime("
                                    + ceilSeconds(fromMs)
                                    + ") AND timestamp < toDateTime("
                                    + ceilSeconds(fromMs + intervalMs)
                                    + ") ORDER BY timestamp, uuid LIMIT "
                                    + offset
                                    + ", "
                                    + limit)) {
                events.add(
                        pluginEvent(
                                row.path("uuid").asText(),
                                row.path("event").asText(),
                                row.path("properties").asText(),
                                teamId,
                                row.path("distinct_id").asText(),
                                row.path("ts").asLong() * 1000,
                                row.path("created").asLong() * 1000));
            }
        } else {
            postgres.execute(
                    c -> {
                        try (PreparedStatement s =
                                c.prepareStatement(
                                        "SELECT uuid::text, event, properties::text, distinct_id, timestamp, created_at"
                                                + " FROM posthog_event WHERE team_id = ? AND timestamp >= ? AND timestamp < ?"
                                                + " ORDER BY id LIMIT ? OFFSET ?")) {
                            s.setLong(1, teamId);
                            s.setTimestamp(2, new Timestamp(fromMs));
                            s.setTimestamp(3, new Timestamp(fromMs + intervalMs));
                            s.setLong(4, limit);
                            s.setLong(5, offset);
                            try (ResultSet rows = s.executeQuery()) {
                                while (rows.next()) {
                                    Timestamp created = rows.getTimestamp(6);
                                    events.add(
                                            pluginEvent(
                                                    rows.getString(1),
                                                    rows.getString(2),
                                                    rows.getString(3),
                                                    teamId,
                                                    rows.getString(4),
                                                    rows.getTimestamp(5).getTime(),
                                                    created == null ? null : created.getTime()));
                                }
                            }
                            return null;
                        } catch (JsonProcessingException e) {
                            throw new SQLException("Unreadable event properties", e);
                        }
                    });
        }
        return Json.write(events);
    }

    private static long ceilSeconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    /** A stored event as the original handed it to {@code exportEvents}, with its uuid. */
    private static ObjectNode pluginEvent(
            String uuid,
            String event,
            String propertiesJson,
            long teamId,
            String distinctId,
            long timestamp,
            Long createdAt)
            throws JsonProcessingException {
        JsonNode properties =
                propertiesJson == null || propertiesJson.isEmpty()
                        ? Json.MAPPER.createObjectNode()
                        : Json.parse(propertiesJson);
        ObjectNode plugin = Json.MAPPER.createObjectNode();
        plugin.put("uuid", uuid);
        plugin.put("team_id", teamId);
        plugin.put("distinct_id", distinctId);
        plugin.set("properties", properties);
        plugin.put("timestamp", PluginErrors.isoTime(timestamp));
        plugin.put("now", PluginErrors.isoTime(System.currentTimeMillis()));
        plugin.put("event", event == null ? "" : event);
        plugin.put("ip", properties.path("$ip").isTextual() ? properties.get("$ip").asText() : "");
        plugin.put("site_url", "");
        plugin.put("sent_at", createdAt == null ? null : PluginErrors.isoTime(createdAt));
        return plugin;
    }
}
