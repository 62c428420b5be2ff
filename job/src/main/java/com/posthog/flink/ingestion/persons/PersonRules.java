package com.posthog.flink.ingestion.persons;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person rules of the original (spec §3.6 steps 6 and 9, §3.7): identity through {@code
 * $identify} and {@code $create_alias}, person creation for new distinct ids, and {@code
 * $set}/{@code $set_once} updates. One operator owns each team, so none of this can race.
 */
public final class PersonRules {

    private static final Logger LOG = LoggerFactory.getLogger(PersonRules.class);

    private static final Set<String> ILLEGAL_IGNORING_CASE =
            Set.of(
                    "anonymous",
                    "guest",
                    "distinctid",
                    "distinct_id",
                    "id",
                    "not_authenticated",
                    "email",
                    "undefined",
                    "true",
                    "false");
    private static final Set<String> ILLEGAL =
            Set.of("[object Object]", "NaN", "None", "none", "null", "0");

    private final Persons persons;

    public PersonRules(Persons persons) {
        this.persons = persons;
    }

    /** Distinct ids for which identity handling is skipped (the event is still ingested). */
    public static boolean isIllegalDistinctId(String distinctId) {
        return distinctId.isBlank()
                || ILLEGAL_IGNORING_CASE.contains(distinctId.toLowerCase(Locale.ROOT))
                || ILLEGAL.contains(distinctId);
    }

    /**
     * A person uuid derived from the event that creates the person, so that a replay of that event
     * after a restore writes the same row.
     */
    public static String personUuid(String eventUuid, String distinctId) {
        return UUID.nameUUIDFromBytes(
                        ("person\n" + eventUuid + "\n" + distinctId)
                                .getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * {@code handleIdentifyOrAlias}: errors are logged and ingestion goes on, as in the original.
     *
     * @param wallClock {@code created_at} of a person created here
     */
    public void handleIdentifyOrAlias(
            long teamId,
            String event,
            JsonNode properties,
            String distinctId,
            String eventUuid,
            long wallClock)
            throws Exception {
        if (isIllegalDistinctId(distinctId)) {
            return;
        }
        try {
            if (event.equals("$create_alias")) {
                JsonNode alias = properties.get("alias");
                if (alias != null && !alias.isNull()) {
                    alias(teamId, Json.jsString(alias), distinctId, false, eventUuid, wallClock);
                }
            } else if (event.equals("$identify")
                    && Json.truthy(properties.get("$anon_distinct_id"))) {
                String anonymous = Json.jsString(properties.get("$anon_distinct_id"));
                alias(teamId, anonymous, distinctId, true, eventUuid, wallClock);
            }
        } catch (IllegalStateException e) {
            LOG.warn(
                    "Identity handling of team {} for '{}' failed: {}",
                    teamId,
                    distinctId,
                    e.getMessage());
        }
    }

    /** {@code alias(previous, current, shouldIdentify)} with its four cases. */
    void alias(
            long teamId,
            String previous,
            String current,
            boolean identify,
            String eventUuid,
            long wallClock)
            throws Exception {
        if (previous.equals(current)) {
            return;
        }
        PersonState old = persons.fetch(teamId, previous);
        PersonState current_ = persons.fetch(teamId, current);
        if (old != null && current_ == null) {
            persons.addDistinctId(teamId, old, current);
        } else if (old == null && current_ != null) {
            persons.addDistinctId(teamId, current_, previous);
        } else if (old == null) {
            persons.create(
                    teamId,
                    personUuid(eventUuid, current),
                    wallClock,
                    Json.MAPPER.createObjectNode(),
                    identify,
                    List.of(current, previous));
        } else if (!old.uuid.equals(current_.uuid)) {
            if (identify && old.isIdentified) {
                LOG.warn(
                        "Refused to merge the identified person of '{}' into '{}' on $identify (team {})",
                        previous,
                        current,
                        teamId);
            } else {
                persons.merge(teamId, current_, old);
            }
        }
        if (identify) {
            setIdentified(teamId, current);
        }
    }

    private void setIdentified(long teamId, String distinctId) throws Exception {
        PersonState person = persons.fetch(teamId, distinctId);
        if (person == null) {
            throw new IllegalStateException("no person with distinct id " + distinctId);
        }
        if (!person.isIdentified) {
            person.isIdentified = true;
            persons.update(teamId, person);
        }
    }

    /** {@code createPersonIfDistinctIdIsNew}. */
    public void createPersonIfNew(long teamId, String distinctId, long createdAt, String eventUuid)
            throws Exception {
        if (persons.fetch(teamId, distinctId) == null) {
            persons.create(
                    teamId,
                    personUuid(eventUuid, distinctId),
                    createdAt,
                    Json.MAPPER.createObjectNode(),
                    false,
                    List.of(distinctId));
        }
    }

    /**
     * {@code updatePersonProperties}: {@code $set_once} keys only where the person has none, {@code
     * $set} keys where the value differs ({@code !==}, so objects always count as changed); nothing
     * is written when the result equals what is stored.
     */
    public void updateProperties(long teamId, String distinctId, JsonNode set, JsonNode setOnce)
            throws Exception {
        PersonState person = persons.fetch(teamId, distinctId);
        if (person == null) {
            throw new IllegalStateException(
                    "Could not find person with distinct id \""
                            + distinctId
                            + "\" to update props");
        }
        ObjectNode current = Json.parseObject(person.properties);
        ObjectNode updated = current.deepCopy();
        if (setOnce != null && setOnce.isObject()) {
            for (Map.Entry<String, JsonNode> entry : setOnce.properties()) {
                if (!updated.has(entry.getKey())) {
                    updated.set(entry.getKey(), entry.getValue());
                }
            }
        }
        if (set != null && set.isObject()) {
            for (Map.Entry<String, JsonNode> entry : set.properties()) {
                updated.set(entry.getKey(), entry.getValue());
            }
        }
        if (!updated.equals(current)) {
            person.properties = Json.write(updated);
            persons.update(teamId, person);
        }
    }
}
