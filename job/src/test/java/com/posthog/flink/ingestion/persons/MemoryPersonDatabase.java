package com.posthog.flink.ingestion.persons;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-written person database in memory, per team, with Postgres' id semantics. */
public final class MemoryPersonDatabase implements PersonDatabase {

    private long nextId = 1;
    final Map<Long, Map<String, PersonState>> personsByTeam = new LinkedHashMap<>();

    private Map<String, PersonState> team(long teamId) {
        return personsByTeam.computeIfAbsent(teamId, t -> new LinkedHashMap<>());
    }

    @Override
    public PersonState fetch(long teamId, String distinctId) {
        for (PersonState person : team(teamId).values()) {
            if (Arrays.asList(person.distinctIds).contains(distinctId)) {
                return person.copy();
            }
        }
        return null;
    }

    @Override
    public void upsert(long teamId, PersonState person) {
        PersonState existing = team(teamId).get(person.uuid);
        person.id = existing != null ? existing.id : nextId++;
        for (PersonState other : team(teamId).values()) {
            if (!other.uuid.equals(person.uuid)) {
                List<String> ids = new ArrayList<>(Arrays.asList(other.distinctIds));
                ids.removeAll(Arrays.asList(person.distinctIds));
                other.distinctIds = ids.toArray(String[]::new);
            }
        }
        team(teamId).put(person.uuid, person.copy());
    }

    @Override
    public void merge(long teamId, PersonState into, PersonState other) {
        upsert(teamId, into);
        team(teamId).remove(other.uuid);
    }

    public List<PersonState> persons(long teamId) {
        return new ArrayList<>(team(teamId).values());
    }
}
