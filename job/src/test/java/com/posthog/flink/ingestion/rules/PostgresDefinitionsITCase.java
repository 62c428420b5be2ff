package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Event and property definitions against the real Postgres (scenarios 13, 17, 43). */
class PostgresDefinitionsITCase {

    private static TestServices services;
    private static PostgresClient postgres;

    @BeforeAll
    static void freshDatabases() throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
        postgres = new PostgresClient(services.postgres());
    }

    @AfterAll
    static void close() {
        postgres.close();
    }

    private static List<String> rows(String sql, long teamId) throws Exception {
        return postgres.execute(
                connection -> {
                    List<String> rows = new ArrayList<>();
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        statement.setLong(1, teamId);
                        try (ResultSet result = statement.executeQuery()) {
                            while (result.next()) {
                                rows.add(result.getString(1));
                            }
                        }
                    }
                    return rows;
                });
    }

    @Test
    void scenario13WritesDefinitionsInOrderOnceAndMarksTheTeam() throws Exception {
        PostgresDefinitions store = new PostgresDefinitions(postgres);
        Definitions definitions = store.load(2);
        assertThat(definitions.eventNames()).isEmpty();
        assertThat(definitions.propertyNames()).isEmpty();
        assertThat(definitions.teamIngestedEvent()).isFalse();

        Definitions.Update update =
                definitions.pending("$autocapture", DefinitionsTest.scenario13Properties());
        store.write(2, update);
        definitions.remember(update);
        // A replay (after a restore) writes the same rows again: harmless.
        store.write(2, update);

        assertThat(rows("SELECT name FROM posthog_eventdefinition WHERE team_id = ?", 2))
                .containsExactly("$autocapture");
        // A fresh table returns rows in insertion order by ctid.
        assertThat(
                        rows(
                                "SELECT name || ':' || is_numerical || ':'"
                                        + " || coalesce(volume_30_day::text, 'null') || ':'"
                                        + " || coalesce(query_usage_30_day::text, 'null')"
                                        + " FROM posthog_propertydefinition WHERE team_id = ?"
                                        + " ORDER BY ctid",
                                2))
                .containsExactlyElementsOf(
                        DefinitionsTest.SCENARIO_13_PROPERTIES.stream()
                                .map(p -> p.name() + ":" + p.isNumerical() + ":null:null")
                                .toList());
        assertThat(rows("SELECT ingested_event::text FROM posthog_team WHERE id = ?", 2))
                .containsExactly("true");
        assertThat(rows("SELECT ingested_event::text FROM posthog_team WHERE id = ?", 3))
                .containsExactly("false");
        assertThat(rows("SELECT id::text FROM posthog_eventdefinition WHERE team_id = ?", 2))
                .containsExactly(PostgresDefinitions.id("event", 2, "$autocapture").toString());

        Definitions reloaded = store.load(2);
        assertThat(reloaded.eventNames()).isEqualTo(definitions.eventNames());
        assertThat(reloaded.propertyNames()).isEqualTo(definitions.propertyNames());
        assertThat(reloaded.teamIngestedEvent()).isTrue();
        assertThat(reloaded.pending("$autocapture", DefinitionsTest.scenario13Properties()))
                .isSameAs(Definitions.Update.NONE);
    }

    @Test
    void scenario43OnAnotherTeamWithRowsWrittenElsewhere() throws Exception {
        PostgresDefinitions store = new PostgresDefinitions(postgres);
        // Another writer (another subtask, or the original server) already wrote "name".
        postgres.execute(
                connection -> {
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "INSERT INTO posthog_propertydefinition (id, name, is_numerical,"
                                            + " team_id) VALUES (gen_random_uuid(), 'name', true, 3)")) {
                        statement.executeUpdate();
                    }
                    return null;
                });
        Definitions stale = new Definitions();

        Definitions.Update update =
                stale.pending(
                        "purchase",
                        Json.parseObject(
                                "{\"price\": 299.99, \"name\": \"AirPods Pro\", \"$ip\": \"1.2.3.4\"}"));
        store.write(3, update);

        assertThat(rows("SELECT name FROM posthog_eventdefinition WHERE team_id = ?", 3))
                .containsExactly("purchase");
        assertThat(
                        rows(
                                "SELECT name || ':' || is_numerical FROM posthog_propertydefinition"
                                        + " WHERE team_id = ? ORDER BY name",
                                3))
                .containsExactly("$ip:false", "name:true", "price:true");
        assertThat(store.load(3).propertyNames()).containsExactlyInAnyOrder("$ip", "name", "price");
    }

    @Test
    void unknownTeamLoadsEmpty() throws Exception {
        Definitions definitions = new PostgresDefinitions(postgres).load(4242);

        assertThat(definitions.eventNames()).isEmpty();
        assertThat(definitions.teamIngestedEvent()).isFalse();
    }
}
