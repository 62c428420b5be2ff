package com.posthog.flink.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.StoredPersons;
import com.posthog.flink.testing.StoredPersons.Person;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persons through the whole pipeline against real Postgres and ClickHouse: identify and alias
 * chains, an illegal distinct id, a session recording, and ClickHouse's person tables agreeing with
 * Postgres.
 */
class PersonsITCase {

    private static TestServices services;

    @BeforeAll
    static void connect() {
        services = TestServices.fromEnvironment();
    }

    /** Two users' sessions, identified and aliased, plus a shared-computer id and a recording. */
    private static List<String> story() {
        return List.of(
                Messages.event(
                        1, "anon_1", "$pageview", "{\"$set_once\":{\"$initial_os\":\"Mac\"}}"),
                Messages.event(
                        2,
                        "user_1",
                        "$identify",
                        "{\"$anon_distinct_id\":\"anon_1\",\"$set\":{\"email\":\"a@b.c\"}}"),
                Messages.event(3, "anon_2", "$pageview", "{}"),
                Messages.event(4, "user_1", "$create_alias", "{\"alias\":\"anon_2\"}"),
                Messages.event(
                        5,
                        "user_1",
                        "$snapshot",
                        "{\"$session_id\":\"s1\",\"$snapshot_data\":{\"timestamp\":123}}"),
                Messages.event(6, "anonymous", "$pageview", "{\"$set\":{\"shared\":true}}"),
                Messages.event(7, "user_2", "$pageview", "{\"$set\":{\"plan\":\"free\"}}"),
                Messages.event(
                        8,
                        "user_2",
                        "$pageview",
                        "{\"$set\":{\"plan\":\"paid\"},\"$set_once\":{\"first\":1}}"));
    }

    private void assertThePersonsOfTheStory(Map<String, Person> persons) throws Exception {
        assertThat(persons)
                .containsOnlyKeys("anon_1,user_1,anon_2", "anonymous", "user_2")
                .containsEntry(
                        "anon_1,user_1,anon_2",
                        Person.of("{\"$initial_os\":\"Mac\",\"email\":\"a@b.c\"}", true))
                .containsEntry("anonymous", Person.of("{\"shared\":true}", false))
                .containsEntry("user_2", Person.of("{\"plan\":\"paid\",\"first\":1}", false));
    }

    @Test
    void identifyAndAliasChainsEndInOnePersonPerUserInBothStores(@TempDir Path dir)
            throws Exception {
        services.freshDatabases();

        InputFileRun run = InputFileRun.runMessages(services, dir, story(), Map.of());

        assertThat(run.lastLine())
                .isEqualTo("input-file: lines=8 ingested=8 dropped=0 dead_letters=0");
        assertThePersonsOfTheStory(StoredPersons.read(services));
        assertThat(services.clickHouseCount("SELECT count() FROM events FINAL")).isEqualTo(7);
        assertThat(services.clickHouseCount("SELECT count() FROM session_recording_events FINAL"))
                .isEqualTo(1);

        // ClickHouse agrees: the live persons, and each distinct id's current person.
        Map<String, Person> clickHouse = new TreeMap<>();
        Map<String, List<String>> idsByPerson = new TreeMap<>();
        for (ObjectNode row :
                services.clickHouseRows(
                        "SELECT distinct_id, toString(person_id) AS person FROM person_distinct_id FINAL WHERE team_id = 2 ORDER BY distinct_id")) {
            idsByPerson
                    .computeIfAbsent(row.get("person").asText(), k -> new ArrayList<>())
                    .add(row.get("distinct_id").asText());
        }
        for (ObjectNode row :
                services.clickHouseRows(
                        "SELECT toString(id) AS id, properties, is_identified FROM person FINAL WHERE team_id = 2 AND is_deleted = 0")) {
            List<String> ids = idsByPerson.getOrDefault(row.get("id").asText(), List.of());
            List<String> ordered = new ArrayList<>();
            for (String known : List.of("anon_1", "user_1", "anon_2", "anonymous", "user_2")) {
                if (ids.contains(known)) {
                    ordered.add(known);
                }
            }
            clickHouse.put(
                    String.join(",", ordered),
                    new Person(
                            Json.parse(row.get("properties").asText()),
                            row.get("is_identified").asInt() == 1));
        }
        assertThePersonsOfTheStory(clickHouse);
    }

    @Test
    void thePostgresPipelineStoresTheSamePersonsAndTheRecording(@TempDir Path dir)
            throws Exception {
        services.freshDatabases();

        InputFileRun run =
                InputFileRun.runMessages(
                        services, dir, story(), Map.of("plugin-server.kafka-enabled", "false"));

        assertThat(run.lastLine())
                .isEqualTo("input-file: lines=8 ingested=8 dropped=0 dead_letters=0");
        assertThePersonsOfTheStory(StoredPersons.read(services));
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_event")).isEqualTo(7);
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_sessionrecordingevent WHERE session_id = 's1' AND distinct_id = 'user_1'"))
                .isEqualTo(1);
    }

    @Test
    void replayingTheSameInputChangesNoPerson(@TempDir Path dir) throws Exception {
        services.freshDatabases();

        InputFileRun.runMessages(services, dir, story(), Map.of());
        Map<String, Person> first = StoredPersons.read(services);
        InputFileRun.runMessages(services, dir, story(), Map.of());

        assertThat(StoredPersons.read(services)).isEqualTo(first);
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_person WHERE team_id = 2"))
                .isEqualTo(3);
        assertThat(services.clickHouseCount("SELECT count() FROM events FINAL")).isEqualTo(7);
    }
}
