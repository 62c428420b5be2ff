package com.posthog.flink.ingestion.rules;

import com.posthog.flink.db.PostgresClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and writes a team's event and property definitions and its {@code ingested_event} flag
 * (spec §3.6 step 5), with the original's statements.
 *
 * <p>Ids are derived from (team, name) instead of being random, so a replay after a restore writes
 * the same row and {@code ON CONFLICT DO NOTHING} makes it harmless whichever unique key it hits.
 * Each statement commits on its own, as in the original: a failure after some rows leaves them, and
 * the retry skips them. A name Postgres refuses (longer than 400 characters, or with a NUL) fails
 * the statement as it failed the original's event; connection problems are retried by {@link
 * PostgresClient}.
 */
public final class PostgresDefinitions {

    static final String INSERT_EVENT_DEFINITION =
            "INSERT INTO posthog_eventdefinition (id, name, volume_30_day, query_usage_30_day,"
                    + " team_id) VALUES (?, ?, NULL, NULL, ?) ON CONFLICT DO NOTHING";
    static final String INSERT_PROPERTY_DEFINITION =
            "INSERT INTO posthog_propertydefinition (id, name, is_numerical, volume_30_day,"
                    + " query_usage_30_day, team_id) VALUES (?, ?, ?, NULL, NULL, ?)"
                    + " ON CONFLICT DO NOTHING";
    static final String MARK_TEAM_INGESTED =
            "UPDATE posthog_team SET ingested_event = true WHERE id = ? AND NOT ingested_event";

    private final PostgresClient postgres;

    public PostgresDefinitions(PostgresClient postgres) {
        this.postgres = postgres;
    }

    /** The team's definitions as the database has them now; an unknown team has none. */
    public Definitions load(long teamId) throws SQLException {
        return postgres.execute(
                connection ->
                        new Definitions(
                                names(
                                        connection,
                                        "SELECT name FROM posthog_eventdefinition WHERE team_id = ?",
                                        teamId),
                                names(
                                        connection,
                                        "SELECT name FROM posthog_propertydefinition WHERE team_id = ?",
                                        teamId),
                                ingestedEvent(connection, teamId)));
    }

    private static Set<String> names(Connection connection, String sql, long teamId)
            throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, teamId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    private static boolean ingestedEvent(Connection connection, long teamId) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT ingested_event FROM posthog_team WHERE id = ?")) {
            statement.setLong(1, teamId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    /**
     * Writes an update: the event definition, then the property definitions in order, then the team
     * flag, as the original did. Call {@link Definitions#remember} after it returns.
     */
    public void write(long teamId, Definitions.Update update) throws SQLException {
        if (update.isEmpty()) {
            return;
        }
        postgres.execute(
                connection -> {
                    if (!update.eventNames().isEmpty()) {
                        try (PreparedStatement statement =
                                connection.prepareStatement(INSERT_EVENT_DEFINITION)) {
                            for (String name : update.eventNames()) {
                                statement.setObject(1, id("event", teamId, name));
                                statement.setString(2, name);
                                statement.setLong(3, teamId);
                                statement.executeUpdate();
                            }
                        }
                    }
                    if (!update.properties().isEmpty()) {
                        try (PreparedStatement statement =
                                connection.prepareStatement(INSERT_PROPERTY_DEFINITION)) {
                            for (PropertyDefinition property : update.properties()) {
                                statement.setObject(1, id("property", teamId, property.name()));
                                statement.setString(2, property.name());
                                statement.setBoolean(3, property.isNumerical());
                                statement.setLong(4, teamId);
                                statement.addBatch();
                            }
                            statement.executeBatch();
                        }
                    }
                    if (update.markTeamIngested()) {
                        try (PreparedStatement statement =
                                connection.prepareStatement(MARK_TEAM_INGESTED)) {
                            statement.setLong(1, teamId);
                            statement.executeUpdate();
                        }
                    }
                    return null;
                });
    }

    /** The same id for the same (kind, team, name), whichever subtask or replay writes it. */
    static UUID id(String kind, long teamId, String name) {
        return UUID.nameUUIDFromBytes(
                (kind + "definition:" + teamId + ":" + name).getBytes(StandardCharsets.UTF_8));
    }
}
