package com.posthog.flink.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds {@link DeadLetter}s with the original server's error texts. */
public final class DeadLetters {

    private DeadLetters() {}

    /** A Kafka message that could not be parsed into an event. */
    public static DeadLetter parseFailure(String raw, long offset, String reason, long errorTime) {
        DeadLetter letter = base(DeadLetter.PARSE_LOCATION, raw, offset, errorTime);
        letter.error = "parseMessage failed. Error: " + reason;
        try {
            describe(letter, Json.parseObject(raw));
        } catch (Exception notAnObject) {
            // Nothing more can be known about a message that is not a JSON object.
        }
        return letter;
    }

    /** An event the ingestion stage refused (e.g. invalid uuid, unknown team). */
    public static DeadLetter ingestFailure(PipelineEvent event, String reason, long errorTime) {
        DeadLetter letter =
                base(DeadLetter.INGEST_LOCATION, event.rawPayload, event.kafkaOffset, errorTime);
        letter.error = "ingestEvent failed. Error: " + reason;
        letter.teamId = event.teamId;
        try {
            describe(letter, Json.parseObject(event.body));
        } catch (Exception unreadable) {
            // The body was written by the parser; keep the letter even if it cannot be read back.
        }
        return letter;
    }

    /** A row a database rejected; {@code event} describes it as far as it is known. */
    public static DeadLetter sinkFailure(
            String rawPayload, long offset, String reason, long errorTime) {
        DeadLetter letter = base(DeadLetter.SINK_LOCATION, rawPayload, offset, errorTime);
        letter.error = "sink failed. Error: " + reason;
        try {
            describe(letter, Json.parseObject(rawPayload));
        } catch (Exception notAnObject) {
            // As received; nothing more to know.
        }
        return letter;
    }

    /**
     * A message of the Celery queue that is not a task the job handles (spec §3.1): malformed, or a
     * task other than {@code plugin_job}.
     */
    public static DeadLetter celeryFailure(String raw, String reason, long errorTime) {
        DeadLetter letter = base(DeadLetter.CELERY_LOCATION, raw, -1, errorTime);
        letter.error = "processTask failed. Error: " + reason;
        return letter;
    }

    /** The id of a dead letter: a name-based UUID of its location and raw payload. */
    public static String idOf(String errorLocation, String rawPayload) {
        byte[] name = (errorLocation + "\n" + rawPayload).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }

    private static DeadLetter base(String location, String raw, long offset, long errorTime) {
        DeadLetter letter = new DeadLetter();
        letter.errorLocation = location;
        letter.rawPayload = raw == null ? "" : raw;
        letter.id = idOf(location, letter.rawPayload);
        letter.kafkaOffset = offset;
        letter.errorTimestamp = errorTime;
        return letter;
    }

    /** Fills what a (possibly partial) event object tells about itself. */
    private static void describe(DeadLetter letter, ObjectNode event) {
        JsonNode data = event.get("data");
        if (data != null && data.isTextual()) {
            try {
                ObjectNode merged = event.deepCopy();
                merged.setAll(Json.parseObject(data.textValue()));
                event = merged;
            } catch (Exception unreadable) {
                // Describe the outer message only.
            }
        }
        String uuid = text(event.get("uuid"));
        if (uuid != null && Uuids.isValid(uuid)) {
            letter.eventUuid = uuid.toLowerCase(java.util.Locale.ROOT);
        }
        JsonNode name = event.get("event");
        if (name != null && !name.isNull()) {
            letter.event = Json.jsString(name);
        }
        JsonNode properties = event.get("properties");
        if (properties != null && properties.isObject()) {
            letter.properties = Json.write(properties);
        }
        letter.distinctId = text(event.get("distinct_id"));
        letter.ip = text(event.get("ip"));
        letter.siteUrl = text(event.get("site_url"));
        JsonNode team = event.get("team_id");
        if (letter.teamId == null && team != null && team.canConvertToExactIntegral()) {
            letter.teamId = team.longValue();
        }
        String now = text(event.get("now"));
        if (now != null) {
            letter.now = Timestamps.parseIso(now);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Json.jsString(node);
    }
}
