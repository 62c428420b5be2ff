package com.posthog.flink.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DistinctIdRow;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.PersonRow;
import com.posthog.flink.event.SessionRecording;
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

    /** A row of {@code person}. */
    public static ObjectNode person(PersonRow person) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("id", person.uuid);
        row.put("created_at", dateTime(person.createdAt));
        row.put("team_id", person.teamId);
        row.put("properties", person.properties);
        row.put("is_identified", person.isIdentified ? 1 : 0);
        row.put("is_deleted", person.isDeleted ? 1 : 0);
        row.put("_timestamp", dateTime(System.currentTimeMillis()));
        row.put("_offset", 0);
        return row;
    }

    /** A row of {@code person_distinct_id}. */
    public static ObjectNode distinctId(DistinctIdRow distinctId) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("distinct_id", distinctId.distinctId);
        row.put("person_id", distinctId.personUuid);
        row.put("team_id", distinctId.teamId);
        row.put("_sign", distinctId.sign);
        row.put("_timestamp", dateTime(System.currentTimeMillis()));
        row.put("_offset", 0);
        return row;
    }

    /**
     * A row of {@code session_recording_events}; {@code created_at} is the event time (spec §3.8).
     */
    public static ObjectNode recording(SessionRecording recording) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("uuid", recording.uuid);
        row.put("timestamp", dateTime(recording.timestamp));
        row.put("team_id", recording.teamId);
        row.put("distinct_id", recording.distinctId);
        row.put("session_id", recording.sessionId);
        row.put("snapshot_data", recording.snapshotData);
        row.put("created_at", dateTime(recording.timestamp));
        row.put("_timestamp", dateTime(System.currentTimeMillis()));
        row.put("_offset", Math.max(0, recording.kafkaOffset));
        return row;
    }

    /** A row of {@code groups}. */
    public static ObjectNode group(GroupRow group) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("group_type_index", group.groupTypeIndex);
        row.put("group_key", group.groupKey);
        row.put("created_at", dateTime(group.createdAt));
        row.put("team_id", group.teamId);
        row.put("group_properties", group.groupProperties);
        row.put("_timestamp", dateTime(System.currentTimeMillis()));
        row.put("_offset", 0);
        return row;
    }
}
