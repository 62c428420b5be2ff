package com.posthog.flink.ingestion;

import com.posthog.flink.db.PostgresClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads teams from {@code posthog_team}. */
public final class PostgresTeamStore implements TeamStore {

    private final PostgresClient postgres;

    public PostgresTeamStore(PostgresClient postgres) {
        this.postgres = postgres;
    }

    @Override
    public Optional<Team> fetch(long teamId) throws SQLException {
        return postgres.execute(
                connection -> {
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT id, anonymize_ips FROM posthog_team WHERE id = ?")) {
                        statement.setLong(1, teamId);
                        try (ResultSet rows = statement.executeQuery()) {
                            return rows.next()
                                    ? Optional.of(new Team(rows.getLong(1), rows.getBoolean(2)))
                                    : Optional.empty();
                        }
                    }
                });
    }

    @Override
    public void close() {
        postgres.close();
    }
}
