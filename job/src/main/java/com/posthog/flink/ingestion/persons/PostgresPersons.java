package com.posthog.flink.ingestion.persons;

import com.posthog.flink.db.PostgresClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Persons and distinct ids in Postgres, the source of truth the PostHog app reads. Every write is
 * an upsert keyed by the person uuid or the (team, distinct id) pair, so a replay after a restore
 * writes the same rows again instead of new ones.
 */
public final class PostgresPersons implements PersonDatabase {

    private final PostgresClient postgres;

    public PostgresPersons(PostgresClient postgres) {
        this.postgres = postgres;
    }

    @Override
    public PersonState fetch(long teamId, String distinctId) throws SQLException {
        return postgres.execute(
                c -> {
                    PersonState person;
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "SELECT p.id, p.uuid, p.created_at, p.properties, p.is_identified"
                                            + " FROM posthog_person p JOIN posthog_persondistinctid d"
                                            + " ON d.person_id = p.id"
                                            + " WHERE d.team_id = ? AND d.distinct_id = ?")) {
                        s.setLong(1, teamId);
                        s.setString(2, distinctId);
                        try (ResultSet rows = s.executeQuery()) {
                            if (!rows.next()) {
                                return null;
                            }
                            person =
                                    new PersonState(
                                            rows.getString(2),
                                            rows.getLong(1),
                                            rows.getTimestamp(3).getTime(),
                                            rows.getString(4),
                                            rows.getBoolean(5),
                                            new String[0]);
                        }
                    }
                    person.distinctIds = distinctIds(c, person.id);
                    return person;
                });
    }

    private static String[] distinctIds(Connection c, long personId) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT distinct_id FROM posthog_persondistinctid WHERE person_id = ? ORDER BY id")) {
            s.setLong(1, personId);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids.toArray(String[]::new);
    }

    @Override
    public void upsert(long teamId, PersonState person) throws SQLException {
        postgres.execute(
                c -> {
                    PostgresClient.inTransaction(c, () -> upsert(c, teamId, person));
                    return null;
                });
    }

    @Override
    public void merge(long teamId, PersonState into, PersonState other) throws SQLException {
        postgres.execute(
                c -> {
                    PostgresClient.inTransaction(
                            c,
                            () -> {
                                upsert(c, teamId, into);
                                if (other.id != 0 && other.id != into.id) {
                                    update(
                                            c,
                                            "UPDATE posthog_cohortpeople SET person_id = ? WHERE person_id = ?",
                                            into.id,
                                            other.id);
                                    update(
                                            c,
                                            "DELETE FROM posthog_person WHERE team_id = ? AND id = ?",
                                            teamId,
                                            other.id);
                                }
                            });
                    return null;
                });
    }

    private static void upsert(Connection c, long teamId, PersonState person) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO posthog_person"
                                + " (created_at, properties, properties_last_updated_at, team_id, is_identified, uuid)"
                                + " VALUES (?, ?::jsonb, '{}'::jsonb, ?, ?, ?::uuid)"
                                + " ON CONFLICT (uuid) DO UPDATE SET created_at = EXCLUDED.created_at,"
                                + " properties = EXCLUDED.properties, is_identified = EXCLUDED.is_identified"
                                + " RETURNING id")) {
            s.setTimestamp(1, new Timestamp(person.createdAt));
            s.setString(2, person.properties);
            s.setLong(3, teamId);
            s.setBoolean(4, person.isIdentified);
            s.setString(5, person.uuid);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                person.id = rows.getLong(1);
            }
        }
        // Keeps each row's id (its position) when it moves between persons, as the original's
        // UPDATE.
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO posthog_persondistinctid (distinct_id, person_id, team_id) VALUES (?, ?, ?)"
                                + " ON CONFLICT (team_id, distinct_id) DO UPDATE SET person_id = EXCLUDED.person_id"
                                + " WHERE posthog_persondistinctid.person_id <> EXCLUDED.person_id")) {
            for (String distinctId : person.distinctIds) {
                s.setString(1, distinctId);
                s.setLong(2, person.id);
                s.setLong(3, teamId);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void update(Connection c, String sql, long a, long b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, a);
            s.setLong(2, b);
            s.executeUpdate();
        }
    }
}
