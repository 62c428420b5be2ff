package com.posthog.flink.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.event.Timestamps;
import com.posthog.flink.event.Uuids;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-event rules of the original {@code EventsProcessor} (spec §3.5–3.6), without Flink: uuid
 * check, {@code $set}/{@code $set_once} merge, event time, name sanitising, team lookup and the
 * {@code $ip} rule.
 */
public final class EventIngester {

    /** Event names are cut to this many UTF-16 code units ({@code substr(0, 200)}). */
    static final int MAX_EVENT_NAME_LENGTH = 200;

    private final TeamCache teams;

    public EventIngester(TeamCache teams) {
        this.teams = teams;
    }

    /**
     * @param wallClock the ingestion time in epoch ms, stored as {@code created_at}
     * @throws IngestionException when the event itself is at fault (a dead letter)
     * @throws Exception when a service failed (the job retries, then restores)
     */
    public IngestedEvent ingest(PipelineEvent pipelineEvent, long wallClock) throws Exception {
        ObjectNode data;
        try {
            data = Json.parseObject(pipelineEvent.body);
        } catch (JsonProcessingException e) {
            throw new IngestionException("the event is not a JSON object");
        }

        String uuid = Json.jsString(data.get("uuid"));
        if (!Uuids.isValid(uuid)) {
            throw new IngestionException("Not a valid UUID: \"" + uuid + "\"");
        }

        ObjectNode properties = properties(data);
        mergeInto(properties, "$set", data.get("$set"));
        mergeInto(properties, "$set_once", data.get("$set_once"));

        long timestamp = eventTime(data);
        String eventName = sanitizeEventName(data.get("event"));

        Optional<Team> team = teams.get(pipelineEvent.teamId);
        if (team.isEmpty()) {
            throw new IngestionException(
                    "No team found with ID " + pipelineEvent.teamId + ". Can't ingest event.");
        }

        JsonNode ip = data.get("ip");
        if (Json.truthy(ip) && !team.get().anonymizeIps() && !properties.has("$ip")) {
            properties.put("$ip", Json.jsString(ip));
        }

        IngestedEvent event = new IngestedEvent();
        event.uuid = uuid.toLowerCase(Locale.ROOT);
        event.event = eventName;
        event.properties = Json.write(properties);
        event.timestamp = timestamp;
        event.teamId = pipelineEvent.teamId;
        event.distinctId = Json.jsString(data.get("distinct_id"));
        event.elementsChain = "";
        event.createdAt = wallClock;
        JsonNode siteUrl = data.get("site_url");
        event.siteUrl = Json.truthy(siteUrl) ? Json.jsString(siteUrl) : null;
        event.rawPayload = pipelineEvent.rawPayload;
        event.kafkaOffset = pipelineEvent.kafkaOffset;
        return event;
    }

    /** {@code data.properties ?? {}}; anything else than an object cannot hold properties. */
    private static ObjectNode properties(ObjectNode data) throws IngestionException {
        JsonNode properties = data.get("properties");
        if (properties == null || properties.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!properties.isObject()) {
            throw new IngestionException(
                    "properties must be an object, not " + Json.write(properties));
        }
        return (ObjectNode) properties;
    }

    /** {@code properties[key] = {...properties[key], ...topLevel}}: the top-level value wins. */
    private static void mergeInto(ObjectNode properties, String key, JsonNode topLevel) {
        if (!Json.truthy(topLevel) || !topLevel.isObject()) {
            return;
        }
        ObjectNode merged = Json.MAPPER.createObjectNode();
        JsonNode existing = properties.get(key);
        if (existing != null && existing.isObject()) {
            merged.setAll((ObjectNode) existing);
        }
        merged.setAll((ObjectNode) topLevel);
        properties.set(key, merged);
    }

    private static long eventTime(ObjectNode data) throws IngestionException {
        Long now = Timestamps.parseIso(textOrNull(data.get("now")));
        if (now == null) {
            throw new IngestionException("Invalid now: " + Json.write(orNull(data.get("now"))));
        }
        Long sentAt = null;
        JsonNode sentAtNode = data.get("sent_at");
        if (Json.truthy(sentAtNode)) {
            sentAt = Timestamps.parseIso(textOrNull(sentAtNode));
            if (sentAt == null) {
                throw new IngestionException("Invalid sent_at: " + Json.write(sentAtNode));
            }
        }
        try {
            return Timestamps.eventTime(data.get("timestamp"), data.get("offset"), now, sentAt);
        } catch (IllegalArgumentException e) {
            throw new IngestionException(e.getMessage());
        }
    }

    /** A non-string name is JSON-stringified; the result is cut to 200 characters. */
    static String sanitizeEventName(JsonNode name) throws IngestionException {
        if (name == null || name.isMissingNode()) {
            // JSON.stringify(undefined) is undefined, and the original then fails on substr.
            throw new IngestionException("Cannot read properties of undefined (reading 'substr')");
        }
        String text = name.isTextual() ? name.textValue() : Json.write(name);
        return text.length() > MAX_EVENT_NAME_LENGTH
                ? text.substring(0, MAX_EVENT_NAME_LENGTH)
                : text;
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? Json.MAPPER.nullNode() : node;
    }
}
