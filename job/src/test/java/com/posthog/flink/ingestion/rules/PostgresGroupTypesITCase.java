package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group type indexes against the real Postgres (scenarios 45 and 46). */
class PostgresGroupTypesITCase {

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

    @BeforeEach
    void noGroupTypes() throws Exception {
        execute("DELETE FROM posthog_grouptypemapping");
    }

    private static void execute(String sql) throws Exception {
        postgres.execute(
                connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                    return null;
                });
    }

    @Test
    void scenario46InsertRaces() throws Exception {
        PostgresGroupTypes groupTypes = new PostgresGroupTypes(postgres);

        assertThat(groupTypes.insertGroupType(2, "g0", 0)).isEqualTo(0);
        assertThat(groupTypes.insertGroupType(2, "g1", 0)).isEqualTo(1);
        assertThat(groupTypes.insertGroupType(2, "g2", 0)).isEqualTo(2);
        assertThat(groupTypes.insertGroupType(2, "g3", 1)).isEqualTo(3);
        assertThat(groupTypes.insertGroupType(2, "g4", 0)).isEqualTo(4);
        assertThat(groupTypes.insertGroupType(2, "g5", 0)).isNull();
        assertThat(groupTypes.insertGroupType(2, "g6", 0)).isNull();
        // The same name, again and again, at any index: the same index.
        assertThat(groupTypes.insertGroupType(2, "g2", 0)).isEqualTo(2);
        assertThat(groupTypes.insertGroupType(2, "g2", 4)).isEqualTo(2);
        assertThat(groupTypes.insertGroupType(2, "g3", 0)).isEqualTo(3);
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_grouptypemapping"))
                .isEqualTo(5);
        // Another team has its own five.
        assertThat(groupTypes.insertGroupType(3, "g5", 0)).isEqualTo(0);
    }

    @Test
    void scenario45AddsGroupColumnsForTypesWithAnIndex() throws Exception {
        PostgresGroupTypes groupTypes = new PostgresGroupTypes(postgres);
        assertThat(groupTypes.fetchGroupTypeIndex(2, "organization")).isEqualTo(0);
        assertThat(groupTypes.fetchGroupTypeIndex(2, "project")).isEqualTo(1);
        assertThat(groupTypes.fetchGroupTypeIndex(2, "a")).isEqualTo(2);
        assertThat(groupTypes.fetchGroupTypeIndex(2, "b")).isEqualTo(3);
        assertThat(groupTypes.fetchGroupTypeIndex(2, "c")).isEqualTo(4);
        ObjectNode properties =
                Json.parseObject(
                        "{\"$groups\": {\"organization\": \"PostHog\", \"project\": \"web\","
                                + " \"foobar\": \"afsafa\"}}");

        groupTypes.addGroupProperties(2, properties);

        assertThat(properties)
                .isEqualTo(
                        Json.parseObject(
                                "{\"$groups\": {\"organization\": \"PostHog\", \"project\": \"web\","
                                        + " \"foobar\": \"afsafa\"},"
                                        + " \"$group_0\": \"PostHog\", \"$group_1\": \"web\"}"));
        assertThat(groupTypes.fetchGroupTypeIndex(2, "foobar")).isNull();
    }

    @Test
    void typesAreAssignedInOrderOfArrival() throws Exception {
        PostgresGroupTypes groupTypes = new PostgresGroupTypes(postgres);
        ObjectNode properties =
                Json.parseObject("{\"$groups\": {\"company\": \"c1\", \"instance\": \"i1\"}}");

        groupTypes.addGroupProperties(3, properties);

        assertThat(properties.get("$group_0").textValue()).isEqualTo("c1");
        assertThat(properties.get("$group_1").textValue()).isEqualTo("i1");
        assertThat(groupTypes.fetchGroupTypes(3))
                .containsEntry("company", 0)
                .containsEntry("instance", 1);
    }

    @Test
    void aStaleCacheStillGetsTheRightIndexes() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        PostgresGroupTypes first = new PostgresGroupTypes(postgres, clock::get);
        try (PostgresClient otherConnection = new PostgresClient(services.postgres())) {
            PostgresGroupTypes second = new PostgresGroupTypes(otherConnection, clock::get);
            assertThat(first.fetchGroupTypeIndex(2, "organization")).isEqualTo(0);
            assertThat(first.fetchGroupTypes(2)).hasSize(1);

            // The other subtask adds "project" at 1; the first still caches one type.
            assertThat(second.fetchGroupTypeIndex(2, "project")).isEqualTo(1);
            // "team" tries index 1, finds it taken, and gets 2; "project" gets its existing 1.
            assertThat(first.fetchGroupTypeIndex(2, "team")).isEqualTo(2);
            assertThat(first.fetchGroupTypeIndex(2, "project")).isEqualTo(1);
            assertThat(second.fetchGroupTypeIndex(2, "team")).isEqualTo(2);
        }
    }

    @Test
    void theCacheLastsThirtySecondsOrUntilInvalidated() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        PostgresGroupTypes groupTypes = new PostgresGroupTypes(postgres, clock::get);
        assertThat(groupTypes.fetchGroupTypes(2)).isEmpty();
        execute(
                "INSERT INTO posthog_grouptypemapping (team_id, group_type, group_type_index)"
                        + " VALUES (2, 'direct', 0)");

        clock.addAndGet(30_000);
        assertThat(groupTypes.fetchGroupTypes(2)).isEmpty();
        clock.addAndGet(1);
        assertThat(groupTypes.fetchGroupTypes(2)).containsOnlyKeys("direct");

        execute(
                "INSERT INTO posthog_grouptypemapping (team_id, group_type, group_type_index)"
                        + " VALUES (2, 'direct2', 1)");
        assertThat(groupTypes.fetchGroupTypes(2)).containsOnlyKeys("direct");
        groupTypes.invalidate(2);
        assertThat(groupTypes.fetchGroupTypes(2)).containsOnlyKeys("direct", "direct2");
    }
}
