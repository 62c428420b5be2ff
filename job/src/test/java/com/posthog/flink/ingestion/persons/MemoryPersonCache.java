package com.posthog.flink.ingestion.persons;

import java.util.HashMap;
import java.util.Map;

/** The person cache as plain maps, for unit tests. */
public final class MemoryPersonCache implements PersonCache {

    final Map<String, String> personByDistinctId = new HashMap<>();
    final Map<String, PersonState> persons = new HashMap<>();

    @Override
    public String personOf(String distinctId) {
        return personByDistinctId.get(distinctId);
    }

    @Override
    public PersonState person(String uuid) {
        return persons.get(uuid);
    }

    @Override
    public void put(PersonState person) {
        persons.put(person.uuid, person);
        for (String distinctId : person.distinctIds) {
            personByDistinctId.put(distinctId, person.uuid);
        }
    }

    @Override
    public void remove(String uuid) {
        persons.remove(uuid);
    }
}
