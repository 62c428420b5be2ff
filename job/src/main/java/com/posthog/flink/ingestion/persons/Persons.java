package com.posthog.flink.ingestion.persons;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Persons of one team: reads through the cache to the database, writes to both, and reports each
 * change for ClickHouse. Returned persons are copies; change them and pass them back.
 */
public final class Persons {

    private final PersonDatabase database;
    private final PersonCache cache;
    private final PersonChanges changes;

    public Persons(PersonDatabase database, PersonCache cache, PersonChanges changes) {
        this.database = database;
        this.cache = cache;
        this.changes = changes;
    }

    public PersonState fetch(long teamId, String distinctId) throws Exception {
        String uuid = cache.personOf(distinctId);
        PersonState person = uuid == null ? null : cache.person(uuid);
        if (person == null) {
            person = database.fetch(teamId, distinctId);
            if (person == null) {
                return null;
            }
            cache.put(person);
        }
        return person.copy();
    }

    public PersonState create(
            long teamId,
            String uuid,
            long createdAt,
            ObjectNode properties,
            boolean identified,
            List<String> distinctIds)
            throws Exception {
        PersonState person =
                new PersonState(
                        uuid,
                        0,
                        createdAt,
                        Json.write(properties),
                        identified,
                        distinctIds.toArray(String[]::new));
        database.upsert(teamId, person);
        cache.put(person);
        changes.person(teamId, person, false);
        for (String distinctId : distinctIds) {
            changes.distinctId(teamId, distinctId, uuid, false);
        }
        return person.copy();
    }

    public void addDistinctId(long teamId, PersonState person, String distinctId) throws Exception {
        List<String> ids = new ArrayList<>(Arrays.asList(person.distinctIds));
        ids.add(distinctId);
        person.distinctIds = ids.toArray(String[]::new);
        database.upsert(teamId, person);
        cache.put(person.copy());
        changes.distinctId(teamId, distinctId, person.uuid, false);
    }

    /** Writes changed properties, {@code is_identified} or {@code created_at}. */
    public void update(long teamId, PersonState person) throws Exception {
        database.upsert(teamId, person);
        cache.put(person.copy());
        changes.person(teamId, person, false);
    }

    /**
     * {@code mergePeople(into, other)} (spec §3.7): properties {@code {...other, ...into}}, the
     * earliest {@code created_at}, {@code is_identified} of either, {@code other}'s distinct ids
     * appended in their order; {@code other} is deleted.
     */
    public void merge(long teamId, PersonState into, PersonState other) throws Exception {
        ObjectNode properties = Json.parseObject(other.properties);
        properties.setAll(Json.parseObject(into.properties));
        into.properties = Json.write(properties);
        into.createdAt = Math.min(into.createdAt, other.createdAt);
        into.isIdentified = into.isIdentified || other.isIdentified;
        List<String> ids = new ArrayList<>(Arrays.asList(into.distinctIds));
        List<String> moved = new ArrayList<>();
        for (String distinctId : other.distinctIds) {
            if (!ids.contains(distinctId)) {
                ids.add(distinctId);
                moved.add(distinctId);
            }
        }
        into.distinctIds = ids.toArray(String[]::new);
        database.merge(teamId, into, other);
        cache.remove(other.uuid);
        cache.put(into.copy());
        changes.person(teamId, into, false);
        for (String distinctId : moved) {
            changes.distinctId(teamId, distinctId, into.uuid, false);
            changes.distinctId(teamId, distinctId, other.uuid, true);
        }
        changes.person(teamId, other, true);
    }
}
