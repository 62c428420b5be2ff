package com.posthog.flink.sink;

import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.db.RowsRejectedException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts rows into one Postgres table with one batched statement in one transaction. The statement
 * must be idempotent (e.g. {@code ON CONFLICT (uuid) DO NOTHING}) so a replay after a restore
 * changes nothing. A data error refuses the batch, so the sink can find the row.
 */
public final class PostgresTableWriter<T> implements TableWriter<T> {

    /** Sets the statement's parameters for one row. */
    @FunctionalInterface
    public interface Binder<T> extends Serializable {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    private final PostgresClient postgres;
    private final String sql;
    private final Binder<T> binder;

    public PostgresTableWriter(PostgresClient postgres, String sql, Binder<T> binder) {
        this.postgres = postgres;
        this.sql = sql;
        this.binder = binder;
    }

    public static <T> Factory<T> factory(Settings settings, String sql, Binder<T> binder) {
        return () ->
                new PostgresTableWriter<>(new PostgresClient(settings.postgres()), sql, binder);
    }

    @Override
    public void write(List<T> rows) throws Exception {
        try {
            postgres.execute(connection -> insert(connection, rows));
        } catch (SQLException e) {
            if (isDataError(PostgresClient.sqlState(e))) {
                SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                throw new RowsRejectedException(cause.getMessage(), cause);
            }
            throw e;
        }
    }

    private Void insert(Connection connection, List<T> rows) throws SQLException {
        PostgresClient.inTransaction(
                connection,
                () -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        for (T row : rows) {
                            binder.bind(statement, row);
                            statement.addBatch();
                        }
                        statement.executeBatch();
                    }
                });
        return null;
    }

    /** SQLSTATE class 22 (data exception) and 23 (integrity constraint): the row is at fault. */
    private static boolean isDataError(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    @Override
    public void close() {
        postgres.close();
    }
}
