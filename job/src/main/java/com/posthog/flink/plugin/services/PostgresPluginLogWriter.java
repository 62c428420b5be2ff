package com.posthog.flink.plugin.services;

import com.posthog.flink.db.PostgresClient;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes plugin log entries to {@code posthog_pluginlogentry} (the Postgres pipeline's plugin log).
 *
 * <p>Entries go in multi-row inserts, idempotent by id. A row the database refuses (for example of
 * a plugin config deleted meanwhile) is dropped with a warning, as the original swallowed insert
 * errors: a log line is not worth stopping the job; the rest of its batch is still written. An
 * unreachable database is thrown, so the job restores and retries.
 */
public final class PostgresPluginLogWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresPluginLogWriter.class);
    private static final int ROWS_PER_INSERT = 500;
    private static final String INSERT =
            "INSERT INTO posthog_pluginlogentry"
                    + " (id, team_id, plugin_id, plugin_config_id, timestamp, source, type, message,"
                    + " instance_id) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ON_CONFLICT = " ON CONFLICT (id) DO NOTHING";

    private final PostgresClient postgres;

    public PostgresPluginLogWriter(PostgresClient postgres) {
        this.postgres = postgres;
    }

    public void write(List<PluginLogEntry> entries) throws SQLException {
        for (int start = 0; start < entries.size(); start += ROWS_PER_INSERT) {
            List<PluginLogEntry> chunk =
                    entries.subList(start, Math.min(entries.size(), start + ROWS_PER_INSERT));
            try {
                insert(chunk);
            } catch (SQLException e) {
                if (PostgresClient.isConnectionProblem(e)) {
                    throw e;
                }
                insertOneByOne(chunk);
            }
        }
    }

    private void insertOneByOne(List<PluginLogEntry> entries) throws SQLException {
        for (PluginLogEntry entry : entries) {
            try {
                insert(List.of(entry));
            } catch (SQLException e) {
                if (PostgresClient.isConnectionProblem(e)) {
                    throw e;
                }
                LOG.warn(
                        "Dropped plugin log entry {} of plugin config {}: {}",
                        entry.id(),
                        entry.pluginConfigId(),
                        e.getMessage());
            }
        }
    }

    private void insert(List<PluginLogEntry> entries) throws SQLException {
        String sql =
                INSERT + String.join(", ", Collections.nCopies(entries.size(), ROW)) + ON_CONFLICT;
        postgres.execute(
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        int i = 0;
                        for (PluginLogEntry entry : entries) {
                            statement.setObject(++i, UUID.fromString(entry.id()));
                            statement.setLong(++i, entry.teamId());
                            statement.setLong(++i, entry.pluginId());
                            statement.setLong(++i, entry.pluginConfigId());
                            statement.setObject(
                                    ++i,
                                    OffsetDateTime.ofInstant(
                                            Instant.ofEpochMilli(entry.timestamp()),
                                            ZoneOffset.UTC));
                            statement.setString(++i, entry.source().name());
                            statement.setString(++i, entry.type().name());
                            statement.setString(++i, entry.message());
                            statement.setObject(++i, UUID.fromString(entry.instanceId()));
                        }
                        return statement.executeUpdate();
                    }
                });
    }
}
