package com.posthog.flink.ingestion.persons;

/** Where persons are stored for good: Postgres in the job, memory in unit tests. */
public interface PersonDatabase {

    /** The person of a distinct id with all its distinct ids in order, or null. */
    PersonState fetch(long teamId, String distinctId) throws Exception;

    /** Writes the person and points all its distinct ids at it; sets {@link PersonState#id}. */
    void upsert(long teamId, PersonState person) throws Exception;

    /**
     * In one transaction: writes {@code into} (whose fields and distinct ids already include the
     * merge), moves {@code other}'s cohort memberships to it, and deletes {@code other}.
     */
    void merge(long teamId, PersonState into, PersonState other) throws Exception;
}
