package com.posthog.flink.sink;

import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.db.RowsRejectedException;
import com.posthog.flink.event.IngestedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Inserts events into {@code posthog_event} (the Postgres pipeline), idempotent by the event uuid:
 * a replay after a restore inserts nothing new.
 */
public final class PostgresEventWriter implements TableWriter<IngestedEvent> {

    private static final String INSERT =
            "INSERT INTO posthog_event"
                    + " (uuid, event, properties, elements, timestamp, team_id, distinct_id,"
                    + " elements_hash, created_at, site_url)"
                    + " VALUES (?::uuid, ?, ?::jsonb, '[]'::jsonb, ?, ?, ?, '', ?, ?)"
                    + " ON CONFLICT (uuid) DO NOTHING";

    private final PostgresClient postgres;

    public PostgresEventWriter(PostgresClient postgres) {
        this.postgres = postgres;
    }

    public static Factory<IngestedEvent> factory(Settings settings) {
        return () -> new PostgresEventWriter(new PostgresClient(settings.postgres()));
    }

    @Override
    public void write(List<IngestedEvent> rows) throws Exception {
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

    private static Void insert(Connection connection, List<IngestedEvent> rows)
            throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (IngestedEvent event : rows) {
                statement.setString(1, event.uuid);
                statement.setString(2, event.event);
                statement.setString(3, event.properties);
                statement.setTimestamp(4, new Timestamp(event.timestamp));
                statement.setLong(5, event.teamId);
                statement.setString(6, event.distinctId);
                statement.setTimestamp(7, new Timestamp(event.createdAt));
                statement.setString(8, event.siteUrl);
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
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
