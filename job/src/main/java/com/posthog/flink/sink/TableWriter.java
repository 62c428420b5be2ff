package com.posthog.flink.sink;

import java.io.Serializable;
import java.util.List;

/** Writes batches of rows to one table. One per sink subtask, created on the task manager. */
public interface TableWriter<T> extends AutoCloseable {

    /**
     * Writes all rows, idempotently (a replay of the same rows changes nothing).
     *
     * @throws com.posthog.flink.db.RowsRejectedException when the database refuses the data
     * @throws Exception when the database cannot be reached or failed
     */
    void write(List<T> rows) throws Exception;

    @Override
    default void close() throws Exception {}

    /** Serializable recipe for a {@link TableWriter}, shipped with the job graph. */
    interface Factory<T> extends Serializable {
        TableWriter<T> create() throws Exception;
    }
}
