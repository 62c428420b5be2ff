package com.posthog.flink.ingestion.persons;

import java.util.Arrays;

/**
 * A person as the ingestion stage knows it (spec §3.13 {@code posthog_person} plus its distinct ids
 * in insertion order). A POJO Flink serialises itself: it is also the value of the keyed person
 * state.
 */
public class PersonState {

    public String uuid;

    /** {@code posthog_person.id}. */
    public long id;

    public long createdAt;

    /** The properties as JSON text. */
    public String properties;

    public boolean isIdentified;

    /** In the order they were added ({@code posthog_persondistinctid.id}). */
    public String[] distinctIds;

    public PersonState() {}

    public PersonState(
            String uuid,
            long id,
            long createdAt,
            String properties,
            boolean isIdentified,
            String[] distinctIds) {
        this.uuid = uuid;
        this.id = id;
        this.createdAt = createdAt;
        this.properties = properties;
        this.isIdentified = isIdentified;
        this.distinctIds = distinctIds;
    }

    PersonState copy() {
        return new PersonState(uuid, id, createdAt, properties, isIdentified, distinctIds.clone());
    }

    @Override
    public String toString() {
        return "Person{" + uuid + " " + Arrays.toString(distinctIds) + " " + properties + "}";
    }
}
