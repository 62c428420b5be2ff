package com.posthog.flink.ingestion;

import java.util.Optional;

/** Where teams are looked up; Postgres in the job, a map in unit tests. */
public interface TeamStore extends AutoCloseable {

    Optional<Team> fetch(long teamId) throws Exception;

    @Override
    default void close() throws Exception {}
}
