package com.posthog.flink.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.event.SessionRecording;
import com.posthog.flink.event.Timestamps;
import com.posthog.flink.event.Uuids;
import com.posthog.flink.ingestion.persons.PersonRules;
import com.posthog.flink.ingestion.rules.Definitions;
import com.posthog.flink.ingestion.rules.Element;
import com.posthog.flink.ingestion.rules.Elements;
import com.posthog.flink.ingestion.rules.PersonInitialProperties;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-event rules of the original {@code EventsProcessor} (spec §3.5–3.8), without Flink: uuid
 * check, {@code $set}/{@code $set_once} merge, event time, identity, then for {@code $snapshot} a
 * recording and for any other event {@code capture}: name, elements, team, {@code $ip},
 * definitions, person creation, initial and UTM properties, groups, person properties.
 */
public final class EventIngester {

    /** Event names are cut to this many UTF-16 code units ({@code substr(0, 200)}). */
    static final int MAX_EVENT_NAME_LENGTH = 200;

    private final TeamCache teams;
    private final PersonRules persons;
    private final IngestionDatabase database;
    private final boolean clickHousePipeline;

    /**
     * Known event and property names per team, loaded once from Postgres and never refreshed, as
     * the original's per-process cache; inserts are idempotent, so a restart only reloads it.
     */
    private final Map<Long, Definitions> definitions = new HashMap<>();

    public EventIngester(
            TeamCache teams,
            PersonRules persons,
            IngestionDatabase database,
            boolean clickHousePipeline) {
        this.teams = teams;
        this.persons = persons;
        this.database = database;
        this.clickHousePipeline = clickHousePipeline;
    }

    /** Where an ingested event goes besides the person tables. */
    public interface Output {
        void event(IngestedEvent event);

        void recording(SessionRecording recording);

        void group(GroupRow group);
    }

    /**
     * Ingests one event.
     *
     * @param wallClock the ingestion time in epoch ms ({@code created_at} of rows and new persons
     *     without {@code sent_at})
     * @throws IngestionException when the event itself is at fault (a dead letter); a value the
     *     database refuses for this event counts as such
     * @throws Exception when a service failed (the job retries, then restores)
     */
    public void ingest(PipelineEvent pipelineEvent, long wallClock, Output out) throws Exception {
        try {
            process(pipelineEvent, wallClock, out);
        } catch (SQLException e) {
            if (PostgresClient.isConnectionProblem(e)) {
                throw e;
            }
            throw new IngestionException(e.getMessage());
        }
    }

    private void process(PipelineEvent pipelineEvent, long wallClock, Output out) throws Exception {
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
        uuid = uuid.toLowerCase(Locale.ROOT);

        ObjectNode properties = properties(data);
        mergeInto(properties, "$set", data.get("$set"));
        mergeInto(properties, "$set_once", data.get("$set_once"));

        Long sentAt = sentAt(data);
        long timestamp = eventTime(data, sentAt);
        long teamId = pipelineEvent.teamId;
        Optional<Team> team = teams.get(teamId);
        if (team.isEmpty()) {
            throw new IngestionException(
                    "No team found with ID " + teamId + ". Can't ingest event.");
        }
        String distinctId = Json.jsString(data.get("distinct_id"));
        JsonNode rawName = data.get("event");
        String rawEventName = rawName != null && rawName.isTextual() ? rawName.textValue() : "";

        persons.handleIdentifyOrAlias(
                teamId, rawEventName, properties, distinctId, uuid, wallClock);

        if (rawEventName.equals("$snapshot")) {
            persons.createPersonIfNew(teamId, distinctId, wallClock, uuid);
            out.recording(recording(pipelineEvent, uuid, distinctId, properties, timestamp));
            return;
        }

        String eventName = sanitizeEventName(rawName);
        List<Element> elements = List.of();
        JsonNode rawElements = properties.get("$elements");
        if (rawElements != null && rawElements.isArray() && !rawElements.isEmpty()) {
            properties.remove("$elements");
            elements = Elements.extract(rawElements);
        }

        JsonNode ip = data.get("ip");
        if (Json.truthy(ip) && !team.get().anonymizeIps() && !properties.has("$ip")) {
            properties.put("$ip", Json.jsString(ip));
        }

        Definitions known = definitions.get(teamId);
        if (known == null) {
            known = database.loadDefinitions(teamId);
            definitions.put(teamId, known);
        }
        Definitions.Update newDefinitions = known.pending(eventName, properties);
        if (!newDefinitions.isEmpty()) {
            database.writeDefinitions(teamId, newDefinitions);
            known.remember(newDefinitions);
        }

        persons.createPersonIfNew(teamId, distinctId, sentAt != null ? sentAt : wallClock, uuid);
        properties = PersonInitialProperties.apply(properties);
        database.groupTypes().addGroupProperties(teamId, properties);

        if (eventName.equals("$groupidentify")) {
            groupIdentify(teamId, properties, wallClock, out);
        } else if (properties.has("$set") || properties.has("$set_once")) {
            persons.updateProperties(
                    teamId, distinctId, properties.get("$set"), properties.get("$set_once"));
        }

        IngestedEvent event = new IngestedEvent();
        event.uuid = uuid;
        event.event = eventName;
        event.properties = Json.write(properties);
        event.timestamp = timestamp;
        event.teamId = teamId;
        event.distinctId = distinctId;
        event.elementsChain = Elements.chain(elements);
        event.elementsJson = Elements.elementsJson(elements);
        event.elementsHash = clickHousePipeline ? "" : database.elementGroup(teamId, elements);
        event.createdAt = wallClock;
        JsonNode siteUrl = data.get("site_url");
        event.siteUrl = Json.truthy(siteUrl) ? Json.jsString(siteUrl) : null;
        event.rawPayload = pipelineEvent.rawPayload;
        event.kafkaOffset = pipelineEvent.kafkaOffset;
        out.event(event);
    }

    /**
     * {@code $groupidentify}: the group's type gets an index, and in the ClickHouse pipeline the
     * group row is written with {@code $group_set} as a full overwrite (spec §3.10).
     */
    private void groupIdentify(long teamId, ObjectNode properties, long wallClock, Output out)
            throws Exception {
        JsonNode type = properties.get("$group_type");
        JsonNode key = properties.get("$group_key");
        if (type == null || type.isNull() || key == null || key.isNull()) {
            return;
        }
        Integer index = database.groupTypes().fetchGroupTypeIndex(teamId, Json.jsString(type));
        if (index != null && clickHousePipeline) {
            JsonNode set = properties.get("$group_set");
            out.group(
                    new GroupRow(
                            index,
                            Json.jsString(key),
                            teamId,
                            set != null && set.isObject() ? Json.write(set) : "{}",
                            wallClock));
        }
    }

    /** The row of {@code session_recording_events} / {@code posthog_sessionrecordingevent}. */
    private static SessionRecording recording(
            PipelineEvent source,
            String uuid,
            String distinctId,
            ObjectNode properties,
            long timestamp) {
        SessionRecording recording = new SessionRecording();
        recording.uuid = uuid;
        recording.teamId = source.teamId;
        recording.distinctId = distinctId;
        JsonNode sessionId = properties.get("$session_id");
        recording.sessionId =
                sessionId == null || sessionId.isNull() ? "" : Json.jsString(sessionId);
        JsonNode snapshot = properties.get("$snapshot_data");
        recording.snapshotData = snapshot == null ? "null" : Json.write(snapshot);
        recording.timestamp = timestamp;
        recording.rawPayload = source.rawPayload;
        recording.kafkaOffset = source.kafkaOffset;
        return recording;
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

    /**
     * {@code sent_at}: the client's send time, null when absent; unreadable is the event's fault.
     */
    private static Long sentAt(ObjectNode data) throws IngestionException {
        JsonNode sentAt = data.get("sent_at");
        if (!Json.truthy(sentAt)) {
            return null;
        }
        Long parsed = Timestamps.parseIso(textOrNull(sentAt));
        if (parsed == null) {
            throw new IngestionException("Invalid sent_at: " + Json.write(sentAt));
        }
        return parsed;
    }

    private static long eventTime(ObjectNode data, Long sentAt) throws IngestionException {
        Long now = Timestamps.parseIso(textOrNull(data.get("now")));
        if (now == null) {
            throw new IngestionException("Invalid now: " + Json.write(orNull(data.get("now"))));
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
