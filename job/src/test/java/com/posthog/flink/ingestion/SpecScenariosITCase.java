package com.posthog.flink.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios of spec §7.2 that show from outside, through the whole pipeline (one input file per
 * pipeline mode) against real Postgres and ClickHouse. Each scenario uses its own distinct ids.
 */
class SpecScenariosITCase {

    private static TestServices services;

    @BeforeAll
    static void connect() {
        services = TestServices.fromEnvironment();
    }

    private static final String SCENARIO_13_PROPERTIES =
            "{\"distinct_id\":2,\"token\":\"THIS IS NOT A TOKEN FOR TEAM 2\",\"$browser\":\"Chrome\","
                    + "\"$current_url\":\"https://test.com\",\"$os\":\"Mac OS X\",\"$browser_version\":false,"
                    + "\"$initial_referring_domain\":\"https://google.com\","
                    + "\"$initial_referrer_url\":\"https://google.com/?q=posthog\",\"utm_medium\":\"twitter\","
                    + "\"gclid\":\"GOOGLE ADS ID\",\"$elements\":[{\"tag_name\":\"a\",\"nth_child\":1,"
                    + "\"nth_of_type\":2,\"attr__class\":\"btn btn-sm\"},{\"tag_name\":\"div\",\"nth_child\":1,"
                    + "\"nth_of_type\":2,\"$el_text\":\"\uD83D\uDCBB\"}]}";

    /** The input of every scenario, in order. */
    private static List<String> input() {
        List<String> lines = new ArrayList<>();
        // 8, 9, 10: event names
        lines.add(
                Messages.event(8, "names", "x", "{}")
                        .replace(
                                "\"event\\\":\\\"x\\\"",
                                "\"event\\\":{\\\"event name\\\":\\\"as object\\\"}"));
        lines.add(
                Messages.event(9, "names", "x", "{}")
                        .replace(
                                "\"event\\\":\\\"x\\\"",
                                "\"event\\\":[\\\"event name\\\",\\\"a list\\\"]"));
        lines.add(Messages.event(10, "names", "E".repeat(300), "{}"));
        // 11, 12: refused events
        lines.add(
                Messages.event(11, "bad", "e", "{}")
                        .replaceFirst("\"uuid\":\"[^\"]+\"", "\"uuid\":\"this is not an uuid\""));
        lines.add(
                Messages.event(12, "bad", "e", "{}").replace("\"team_id\":2", "\"team_id\":1337"));
        // 13, 14: a new person from an autocapture, then a second event
        lines.add(Messages.event(13, "2", "$autocapture", SCENARIO_13_PROPERTIES));
        lines.add(
                Messages.event(
                        14,
                        "2",
                        "$autocapture",
                        "{\"utm_medium\":\"instagram\",\"$browser\":\"Firefox\",\"$browser_version\":80,\"$current_url\":\"https://test.com/pricing\"}"));
        // 15: initial current url
        lines.add(
                Messages.event(
                        15, "initial", "$pageview", "{\"$current_url\":\"https://test.com\"}"));
        // 41, 42: a snapshot from a new distinct id
        lines.add(
                Messages.event(
                        41,
                        "some-id",
                        "$snapshot",
                        "{\"$session_id\":\"abcf-efg\",\"$snapshot_data\":{\"timestamp\":123}}"));
        // 43: numerical property definitions
        lines.add(
                Messages.event(
                        43, "buyer", "purchase", "{\"price\":299.99,\"name\":\"AirPods Pro\"}"));
        // 44, 45: groups
        lines.add(
                Messages.event(
                        44,
                        "grouper",
                        "$groupidentify",
                        "{\"$group_type\":\"organization\",\"$group_key\":\"org::5\",\"$group_set\":{\"foo\":\"bar\"}}"));
        lines.add(
                Messages.event(
                        45,
                        "grouper",
                        "$pageview",
                        "{\"$groups\":{\"organization\":\"PostHog\",\"project\":\"web\"}}"));
        return lines;
    }

    static InputFileRun ingest(Path dir, boolean clickHousePipeline) throws Exception {
        services.freshDatabases();
        Path file = dir.resolve("scenarios.jsonl");
        Files.write(file, input());
        return InputFileRun.run(
                services,
                Map.of("plugin-server.kafka-enabled", Boolean.toString(clickHousePipeline)),
                "--input-file",
                file.toString());
    }

    static JsonNode person(String distinctId) throws Exception {
        try (PostgresClient postgres = new PostgresClient(services.postgres())) {
            return postgres.execute(
                    c -> {
                        try (Statement s = c.createStatement();
                                ResultSet rows =
                                        s.executeQuery(
                                                "SELECT p.properties FROM posthog_person p JOIN posthog_persondistinctid d"
                                                        + " ON d.person_id = p.id WHERE d.team_id = 2 AND d.distinct_id = '"
                                                        + distinctId
                                                        + "'")) {
                            return rows.next() ? Json.parse(rows.getString(1)) : null;
                        } catch (java.io.IOException e) {
                            throw new java.sql.SQLException(e);
                        }
                    });
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ClickHousePipeline {

        private final List<ObjectNode> events = new ArrayList<>();

        @BeforeAll
        void run(@TempDir Path dir) throws Exception {
            assertThat(ingest(dir, true).lastLine())
                    .isEqualTo("input-file: lines=12 ingested=10 dropped=0 dead_letters=2");
            events.addAll(
                    services.clickHouseRows(
                            "SELECT event, distinct_id, properties, elements_chain FROM events FINAL ORDER BY timestamp, event"));
        }

        private ObjectNode event(String distinctId, String name) {
            return events.stream()
                    .filter(
                            e ->
                                    e.get("distinct_id").asText().equals(distinctId)
                                            && e.get("event").asText().equals(name))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new AssertionError(
                                            "no event "
                                                    + name
                                                    + " of "
                                                    + distinctId
                                                    + " in "
                                                    + events));
        }

        @Test
        void eventNamesThatAreNotStringsAreStringifiedAndLongOnesCut() {
            List<String> names =
                    events.stream()
                            .filter(e -> e.get("distinct_id").asText().equals("names"))
                            .map(e -> e.get("event").asText())
                            .toList();
            assertThat(names)
                    .containsExactlyInAnyOrder(
                            "{\"event name\":\"as object\"}",
                            "[\"event name\",\"a list\"]",
                            "E".repeat(200));
        }

        @Test
        void anInvalidUuidAndAnUnknownTeamAreDeadLetters() throws Exception {
            List<String> errors =
                    services
                            .clickHouseRows(
                                    "SELECT error FROM events_dead_letter_queue FINAL ORDER BY error")
                            .stream()
                            .map(row -> row.get("error").asText())
                            .toList();
            assertThat(errors)
                    .containsExactly(
                            "ingestEvent failed. Error: No team found with ID 1337. Can't ingest event.",
                            "ingestEvent failed. Error: Not a valid UUID: \"this is not an uuid\"");
        }

        @Test
        void anAutocaptureCreatesThePersonWithInitialAndUtmProperties() throws Exception {
            assertThat(person("2"))
                    .isEqualTo(
                            Json.parse(
                                    "{\"$initial_browser\":\"Chrome\",\"$initial_browser_version\":false,\"$initial_utm_medium\":\"twitter\","
                                            + "\"$initial_current_url\":\"https://test.com\",\"$initial_os\":\"Mac OS X\",\"utm_medium\":\"instagram\","
                                            + "\"$initial_gclid\":\"GOOGLE ADS ID\",\"gclid\":\"GOOGLE ADS ID\"}"));
            JsonNode properties = Json.parse(event("2", "$autocapture").get("properties").asText());
            assertThat(properties.get("$ip").asText()).isEqualTo("127.0.0.1");
            assertThat(properties.has("$elements")).isFalse();
            assertThat(properties.get("$set"))
                    .isEqualTo(
                            Json.parse("{\"utm_medium\":\"twitter\",\"gclid\":\"GOOGLE ADS ID\"}"));
            assertThat(properties.get("$set_once").size()).isEqualTo(6);
            assertThat(event("2", "$autocapture").get("elements_chain").asText())
                    .isEqualTo(
                            "a.btn.btn-sm:attr__class=\"btn btn-sm\"nth-child=\"1\"nth-of-type=\"2\";div:nth-child=\"1\"nth-of-type=\"2\"text=\"\uD83D\uDCBB\"");
        }

        @Test
        void definitionsAreWrittenWithTheirNumericalFlagAndTheTeamHasIngested() throws Exception {
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_eventdefinition WHERE team_id = 2 AND name IN ('$autocapture', 'purchase')"))
                    .isEqualTo(2);
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_propertydefinition WHERE team_id = 2 AND name IN ('price', 'distinct_id') AND is_numerical"))
                    .isEqualTo(2);
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_propertydefinition WHERE team_id = 2 AND name IN ('name', '$ip', '$browser_version', 'token') AND NOT is_numerical"))
                    .isEqualTo(4);
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_propertydefinition WHERE team_id = 2 AND name LIKE '$initial_browser%'"))
                    .isZero();
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_team WHERE id = 2 AND ingested_event"))
                    .isOne();
        }

        @Test
        void theInitialCurrentUrlIsSetOnce() throws Exception {
            assertThat(person("initial"))
                    .isEqualTo(Json.parse("{\"$initial_current_url\":\"https://test.com\"}"));
        }

        @Test
        void aSnapshotIsARecordingNotAnEventAndCreatesThePerson() throws Exception {
            List<ObjectNode> recordings =
                    services.clickHouseRows(
                            "SELECT session_id, distinct_id, snapshot_data FROM session_recording_events FINAL");
            assertThat(recordings).hasSize(1);
            assertThat(recordings.get(0).get("session_id").asText()).isEqualTo("abcf-efg");
            assertThat(recordings.get(0).get("distinct_id").asText()).isEqualTo("some-id");
            assertThat(Json.parse(recordings.get(0).get("snapshot_data").asText()))
                    .isEqualTo(Json.parse("{\"timestamp\":123}"));
            assertThat(events).noneMatch(e -> e.get("event").asText().equals("$snapshot"));
            assertThat(person("some-id")).isNotNull();
        }

        @Test
        void groupIdentifyWritesTheGroupAndGroupsGetTheirIndexes() throws Exception {
            List<ObjectNode> groups =
                    services.clickHouseRows(
                            "SELECT group_type_index, group_key, team_id, group_properties FROM groups FINAL");
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).get("group_type_index").asInt()).isZero();
            assertThat(groups.get(0).get("group_key").asText()).isEqualTo("org::5");
            assertThat(groups.get(0).get("group_properties").asText())
                    .isEqualTo("{\"foo\":\"bar\"}");
            JsonNode properties =
                    Json.parse(event("grouper", "$pageview").get("properties").asText());
            assertThat(properties.get("$group_0").asText()).isEqualTo("PostHog");
            assertThat(properties.get("$group_1").asText()).isEqualTo("web");
            assertThat(properties.has("$groups")).isTrue();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PostgresPipeline {

        @BeforeAll
        void run(@TempDir Path dir) throws Exception {
            assertThat(ingest(dir, false).lastLine())
                    .isEqualTo("input-file: lines=12 ingested=10 dropped=0 dead_letters=2");
        }

        @Test
        void theAutocaptureStoresItsElementGroupWithTheSpecsHash() throws Exception {
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_event WHERE distinct_id = '2' AND elements_hash = '0679137c0cd2408a2906839143e7a71f'"))
                    .isOne();
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_elementgroup WHERE hash = '0679137c0cd2408a2906839143e7a71f' AND team_id = 2"))
                    .isOne();
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_element e JOIN posthog_elementgroup g ON e.group_id = g.id WHERE g.hash = '0679137c0cd2408a2906839143e7a71f'"))
                    .isEqualTo(2);
        }

        @Test
        void theSnapshotIsARecordingRowAndGroupsOnlyMapTheirType() throws Exception {
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_sessionrecordingevent WHERE session_id = 'abcf-efg' AND distinct_id = 'some-id'"))
                    .isOne();
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_event WHERE event = '$snapshot'"))
                    .isZero();
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_grouptypemapping WHERE team_id = 2 AND group_type = 'organization' AND group_type_index = 0"))
                    .isOne();
        }

        @Test
        void thePersonsAreTheSameAsInTheClickHousePipeline() throws Exception {
            assertThat(person("2").get("utm_medium").asText()).isEqualTo("instagram");
            assertThat(person("initial"))
                    .isEqualTo(Json.parse("{\"$initial_current_url\":\"https://test.com\"}"));
        }
    }
}
