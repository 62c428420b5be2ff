package com.posthog.flink.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Rows of the ClickHouse tables (and the dead-letter Kafka message) as JSON objects. */
public final class ClickHouseRows {

    /** ClickHouse DateTime text; 18.16 reads neither ISO {@code T…Z} nor DateTime64. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ClickHouseRows() {}

    public static String dateTime(long epochMillis) {
        return DATE_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A row of {@code events}. */
    public static ObjectNode event(IngestedEvent event) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("uuid", event.uuid);
        row.put("event", event.event);
        row.put("properties", event.properties);
        row.put("timestamp", dateTime(event.timestamp));
        row.put("team_id", event.teamId);
        row.put("distinct_id", event.distinctId);
        row.put("elements_chain", event.elementsChain);
        row.put("created_at", dateTime(event.createdAt));
        row.put("_timestamp", dateTime(System.currentTimeMillis()));
        row.put("_offset", Math.max(0, event.kafkaOffset));
        return row;
    }

    /** A dead letter as produced to Kafka: the columns of {@code events_dead_letter_queue}. */
    public static ObjectNode deadLetter(DeadLetter letter) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("id", letter.id);
        row.put("event_uuid", letter.eventUuid);
        row.put("event", letter.event);
        row.put("properties", letter.properties);
        row.put("distinct_id", letter.distinctId);
        row.put("team_id", letter.teamId);
        row.put("elements_chain", letter.elementsChain);
        row.put("created_at", letter.createdAt == null ? null : dateTime(letter.createdAt));
        row.put("ip", letter.ip);
        row.put("site_url", letter.siteUrl);
        row.put("now", letter.now == null ? null : dateTime(letter.now));
        row.put("raw_payload", letter.rawPayload);
        row.put("error_timestamp", dateTime(letter.errorTimestamp));
        row.put("error_location", letter.errorLocation);
        row.put("error", letter.error);
        return row;
    }

    /** A row of {@code events_dead_letter_queue}. */
    public static ObjectNode deadLetterRow(DeadLetter letter) {
        ObjectNode row = deadLetter(letter);
        row.put("_timestamp", dateTime(System.currentTimeMillis()));
        row.put("_offset", Math.max(0, letter.kafkaOffset));
        return row;
    }
}
