package com.posthog.flink.ingestion;

import com.posthog.flink.ingestion.persons.PersonDatabase;
import com.posthog.flink.ingestion.rules.Definitions;
import com.posthog.flink.ingestion.rules.Element;
import com.posthog.flink.ingestion.rules.GroupTypes;
import java.io.Serializable;
import java.util.List;

/**
 * Everything the ingestion stage reads and writes in Postgres besides the event tables: teams,
 * persons, definitions, group types and element groups. One per subtask; Postgres in the job,
 * memory in unit tests.
 */
public interface IngestionDatabase extends AutoCloseable {

    TeamStore teams();

    PersonDatabase persons();

    GroupTypes groupTypes();

    /** The team's known event and property names, and whether it has ingested an event. */
    Definitions loadDefinitions(long teamId) throws Exception;

    void writeDefinitions(long teamId, Definitions.Update update) throws Exception;

    /** Stores the element group (Postgres pipeline) and returns its hash, {@code ""} if none. */
    String elementGroup(long teamId, List<Element> elements) throws Exception;

    @Override
    default void close() throws Exception {}

    /** Serializable recipe, opened on the task manager. */
    @FunctionalInterface
    interface Factory extends Serializable {
        IngestionDatabase open() throws Exception;
    }
}
