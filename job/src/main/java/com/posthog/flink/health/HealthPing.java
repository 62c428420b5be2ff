package com.posthog.flink.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.Timestamps;
import java.time.Instant;

/**
 * The health ping in Redis (CONTRACTS.md): {@code {"time": ISO, "lastCheckpoint": ISO or null}}
 * under {@code @posthog-plugin-server/ping}, written every 5 s with a TTL of 60 s, and how {@code
 * --healthcheck} judges it.
 */
public final class HealthPing {

    public static final String KEY = "@posthog-plugin-server/ping";
    public static final String VERSION_KEY = "@posthog-plugin-server/version";
    public static final long INTERVAL_MILLIS = 5_000;
    public static final long TTL_SECONDS = 60;
    public static final long MAX_PING_AGE_MILLIS = 30_000;

    private HealthPing() {}

    public static String value(long now, Long lastCheckpoint) {
        ObjectNode ping = Json.MAPPER.createObjectNode();
        ping.put("time", Instant.ofEpochMilli(now).toString());
        ping.put(
                "lastCheckpoint",
                lastCheckpoint == null ? null : Instant.ofEpochMilli(lastCheckpoint).toString());
        return Json.write(ping);
    }

    /**
     * @return null when healthy, else the reason: {@code no ping}, {@code ping stale} or {@code
     *     checkpoint stale}
     */
    public static String problem(String value, long now, long maxCheckpointAgeMillis) {
        if (value == null) {
            return "no ping";
        }
        JsonNode ping;
        try {
            ping = Json.parse(value);
        } catch (Exception e) {
            return "no ping";
        }
        Long time = ping.hasNonNull("time") ? Timestamps.parseIso(ping.get("time").asText()) : null;
        if (time == null || now - time > MAX_PING_AGE_MILLIS) {
            return "ping stale";
        }
        if (ping.hasNonNull("lastCheckpoint")) {
            Long checkpoint = Timestamps.parseIso(ping.get("lastCheckpoint").asText());
            if (checkpoint == null || now - checkpoint > maxCheckpointAgeMillis) {
                return "checkpoint stale";
            }
        }
        return null;
    }
}
