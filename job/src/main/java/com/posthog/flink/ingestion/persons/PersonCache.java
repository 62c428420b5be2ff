package com.posthog.flink.ingestion.persons;

/**
 * The distinct-id → person cache of one team (the original's {@code DISTINCT_ID_LRU_SIZE}): Flink
 * keyed state with a TTL in the job, a map in unit tests. The database stays the source of truth; a
 * miss reads it.
 */
public interface PersonCache {

    /**
     * @return the uuid of the person holding the distinct id, or null if not cached
     */
    String personOf(String distinctId) throws Exception;

    /**
     * @return the cached person, or null
     */
    PersonState person(String uuid) throws Exception;

    /** Caches the person and maps each of its distinct ids to it. */
    void put(PersonState person) throws Exception;

    /** Forgets a person (its distinct ids have moved to another one). */
    void remove(String uuid) throws Exception;
}
