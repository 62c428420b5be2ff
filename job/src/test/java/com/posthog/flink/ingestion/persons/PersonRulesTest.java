package com.posthog.flink.ingestion.persons;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Identity and person properties (spec §3.7, scenarios 18–34) on an in-memory database. */
class PersonRulesTest {

    private static final long TEAM = 2;
    private static final long NOW = 1_600_000_000_000L;

    private final MemoryPersonDatabase database = new MemoryPersonDatabase();
    private final List<String> changes = new ArrayList<>();
    private final PersonChanges recorder =
            new PersonChanges() {
                @Override
                public void person(long teamId, PersonState person, boolean deleted) {
                    changes.add(
                            (deleted ? "delete " : "person ")
                                    + String.join(",", person.distinctIds));
                }

                @Override
                public void distinctId(
                        long teamId, String distinctId, String personUuid, boolean deleted) {
                    changes.add((deleted ? "-" : "+") + distinctId);
                }
            };

    /** The rules of one team: in the job the cache is keyed state, so each team has its own. */
    private PersonRules rulesOf() {
        return new PersonRules(new Persons(database, new MemoryPersonCache(), recorder));
    }

    private final PersonRules rules = rulesOf();

    private void create(String... distinctIds) throws Exception {
        rules.createPersonIfNew(TEAM, distinctIds[0], NOW, UUID.randomUUID().toString());
        for (int i = 1; i < distinctIds.length; i++) {
            rules.alias(
                    TEAM, distinctIds[0], distinctIds[i], false, UUID.randomUUID().toString(), NOW);
        }
    }

    private void send(String event, String distinctId, String propertiesJson) throws Exception {
        JsonNode properties = Json.parse(propertiesJson);
        String uuid = UUID.randomUUID().toString();
        rules.handleIdentifyOrAlias(TEAM, event, properties, distinctId, uuid, NOW);
        rules.createPersonIfNew(TEAM, distinctId, NOW, uuid);
        if (properties.has("$set") || properties.has("$set_once")) {
            rules.updateProperties(
                    TEAM, distinctId, properties.get("$set"), properties.get("$set_once"));
        }
    }

    private List<List<String>> distinctIds() {
        List<List<String>> all = new ArrayList<>();
        database.persons(TEAM).forEach(p -> all.add(List.of(p.distinctIds)));
        return all;
    }

    private PersonState only() {
        assertThat(database.persons(TEAM)).hasSize(1);
        return database.persons(TEAM).get(0);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    @Test
    void setOnAnExistingPersonAndSetCreatesThePerson() throws Exception {
        send("some_event", "d", "{\"$set\":{\"a_prop\":\"test-1\",\"c_prop\":\"test-1\"}}");

        assertThat(json(only().properties))
                .isEqualTo(json("{\"a_prop\":\"test-1\",\"c_prop\":\"test-1\"}"));
    }

    @Test
    void setOnceKeepsFirstValues() throws Exception {
        send("e", "d", "{\"$set_once\":{\"a\":\"test-1\",\"c\":\"test-1\"}}");
        send("e", "d", "{\"$set_once\":{\"a\":\"test-2\",\"b\":\"test-2b\"}}");

        assertThat(json(only().properties))
                .isEqualTo(json("{\"a\":\"test-1\",\"c\":\"test-1\",\"b\":\"test-2b\"}"));
    }

    @Test
    void identifyWithoutAnonymousIdOnlySetsProperties() throws Exception {
        send("$identify", "d", "{\"$set\":{\"a\":\"test-1\",\"c\":\"test-1\"}}");
        send("$identify", "d", "{\"$set\":{\"a\":\"test-2\",\"b\":\"test-2b\"}}");

        assertThat(json(only().properties))
                .isEqualTo(json("{\"a\":\"test-2\",\"c\":\"test-1\",\"b\":\"test-2b\"}"));
        assertThat(only().isIdentified).isFalse();
    }

    @Test
    void aliasToAnExistingOldIdAddsTheNewId() throws Exception {
        create("old_distinct_id");
        send("$create_alias", "new_distinct_id", "{\"alias\":\"old_distinct_id\"}");

        assertThat(distinctIds()).containsExactly(List.of("old_distinct_id", "new_distinct_id"));
    }

    @Test
    void aliasReverseAddsTheAlias() throws Exception {
        create("old");
        send("$create_alias", "old", "{\"alias\":\"new\"}");

        assertThat(distinctIds()).containsExactly(List.of("old", "new"));
    }

    @Test
    void aliasTwiceMergesIntoOnePersonKeepingOrder() throws Exception {
        create("old");
        send("$create_alias", "new", "{\"alias\":\"old\"}");
        create("old_2");
        send("$create_alias", "new", "{\"alias\":\"old_2\"}");

        assertThat(distinctIds()).containsExactly(List.of("old", "new", "old_2"));
    }

    @Test
    void aliasBeforeAnyPersonCreatesOneWithCurrentThenPrevious() throws Exception {
        send("$create_alias", "new_distinct_id", "{\"alias\":\"old_distinct_id\"}");

        assertThat(distinctIds()).containsExactly(List.of("new_distinct_id", "old_distinct_id"));
        assertThat(only().isIdentified).isFalse();
    }

    @Test
    void aliasMergesPropertiesWithTheNewPersonWinning() throws Exception {
        send(
                "e",
                "old",
                "{\"$set\":{\"key_on_both\":\"old value both\",\"key_on_old\":\"old value\"}}");
        send(
                "e",
                "new",
                "{\"$set\":{\"key_on_both\":\"new value both\",\"key_on_new\":\"new value\"}}");
        changes.clear();
        send("$create_alias", "new", "{\"alias\":\"old\"}");

        PersonState person = only();
        assertThat(json(person.properties))
                .isEqualTo(
                        json(
                                "{\"key_on_both\":\"new value both\",\"key_on_new\":\"new value\",\"key_on_old\":\"old value\"}"));
        assertThat(person.distinctIds).containsExactly("new", "old");
        assertThat(changes).containsExactly("person new,old", "+old", "-old", "delete old");
    }

    @Test
    void mergeKeepsTheEarliestCreatedAt() throws Exception {
        rules.createPersonIfNew(TEAM, "person_0", NOW, "e0");
        rules.createPersonIfNew(TEAM, "person_1", NOW - 1_000_000, "e1");
        rules.alias(TEAM, "person_1", "person_0", false, "e2", NOW);

        assertThat(only().createdAt).isEqualTo(NOW - 1_000_000);
        assertThat(only().distinctIds).containsExactly("person_0", "person_1");
    }

    @Test
    void identifyWithAnAnonymousIdAttachesAndIdentifiesAndRepeatingIsHarmless() throws Exception {
        create("anonymous_id");
        for (int i = 0; i < 2; i++) {
            send(
                    "$identify",
                    "new_distinct_id",
                    "{\"$anon_distinct_id\":\"anonymous_id\",\"$set\":{\"a_prop\":\"test\"}}");
        }

        PersonState person = only();
        assertThat(person.distinctIds).containsExactly("anonymous_id", "new_distinct_id");
        assertThat(json(person.properties)).isEqualTo(json("{\"a_prop\":\"test\"}"));
        assertThat(person.isIdentified).isTrue();
    }

    @Test
    void identifyMergesAnonymousPersonIntoTheIdentifiedOne() throws Exception {
        create("anonymous_id");
        send("e", "new_distinct_id", "{\"$set\":{\"email\":\"someone@gmail.com\"}}");
        send("$identify", "new_distinct_id", "{\"$anon_distinct_id\":\"anonymous_id\"}");

        assertThat(only().distinctIds).containsExactly("new_distinct_id", "anonymous_id");
        assertThat(json(only().properties).get("email").asText()).isEqualTo("someone@gmail.com");
        assertThat(only().isIdentified).isTrue();

        create("anonymous_id_2");
        send("$identify", "new_distinct_id", "{\"$anon_distinct_id\":\"anonymous_id_2\"}");
        assertThat(only().distinctIds)
                .containsExactly("new_distinct_id", "anonymous_id", "anonymous_id_2");
    }

    @Test
    void identifyRefusesToMergeAwayAnIdentifiedPersonButStillIdentifies() throws Exception {
        send("$identify", "user_a", "{\"$anon_distinct_id\":\"anon_a\"}");
        create("user_b");
        send("$identify", "user_b", "{\"$anon_distinct_id\":\"user_a\"}");

        assertThat(distinctIds())
                .containsExactlyInAnyOrder(List.of("user_a", "anon_a"), List.of("user_b"));
        assertThat(database.persons(TEAM)).allMatch(p -> p.isIdentified);
    }

    @Test
    void identifyWithTheSameIdChangesNothing() throws Exception {
        send("$identify", "d", "{\"$anon_distinct_id\":\"d\"}");

        assertThat(only().isIdentified).isFalse();
    }

    @Test
    void illegalDistinctIdsSkipIdentityButStillGetAPerson() throws Exception {
        create("im an anonymous id");
        int expected = 1;
        for (String illegal : List.of("distinctId", "  ", "NaN", "undefined", "None", "0")) {
            send("$identify", illegal, "{\"$anon_distinct_id\":\"im an anonymous id\"}");
            expected++;
            assertThat(database.persons(TEAM)).as(illegal).hasSize(expected);
        }
        send("$identify", "Nan", "{\"$anon_distinct_id\":\"im an anonymous id\"}");
        assertThat(database.persons(TEAM)).hasSize(expected);
    }

    @Test
    void teamsDoNotLeakIntoEachOther() throws Exception {
        PersonRules team3 = rulesOf();
        team3.createPersonIfNew(3, "2", NOW, "t3");
        team3.updateProperties(3, "2", json("{\"email\":\"x@y.z\"}"), null);
        create("1", "2");
        send("$identify", "2", "{\"$anon_distinct_id\":\"1\"}");

        assertThat(distinctIds()).containsExactly(List.of("1", "2"));
        assertThat(json(only().properties)).isEqualTo(json("{}"));
        assertThat(database.persons(3)).hasSize(1);
        assertThat(json(database.persons(3).get(0).properties).get("email").asText())
                .isEqualTo("x@y.z");
    }

    @Test
    void interleavedIdentifyAndAliasChainsEndInOnePersonPerUser() throws Exception {
        // Two users, each with two anonymous sessions, identify and alias interleaved.
        send("$pageview", "anon_a1", "{}");
        send("$pageview", "anon_b1", "{}");
        send("$identify", "user_a", "{\"$anon_distinct_id\":\"anon_a1\"}");
        send("$pageview", "anon_a2", "{}");
        send("$create_alias", "user_b", "{\"alias\":\"anon_b1\"}");
        send("$pageview", "anon_b2", "{}");
        send("$identify", "user_a", "{\"$anon_distinct_id\":\"anon_a2\"}");
        send("$identify", "user_b", "{\"$anon_distinct_id\":\"anon_b2\"}");

        assertThat(distinctIds())
                .containsExactlyInAnyOrder(
                        List.of("anon_a1", "user_a", "anon_a2"),
                        List.of("anon_b1", "user_b", "anon_b2"));
    }

    @Test
    void unchangedPropertiesAreNotWrittenAgain() throws Exception {
        send("e", "d", "{\"$set_once\":{\"$initial_os\":\"Mac\"}}");
        changes.clear();
        send("e", "d", "{\"$set_once\":{\"$initial_os\":\"Linux\"}}");

        assertThat(changes).isEmpty();
    }

    @Test
    void illegalIdsAreThoseOfTheOriginal() {
        assertThat(PersonRules.isIllegalDistinctId("  ")).isTrue();
        assertThat(PersonRules.isIllegalDistinctId("Anonymous")).isTrue();
        assertThat(PersonRules.isIllegalDistinctId("[object Object]")).isTrue();
        assertThat(PersonRules.isIllegalDistinctId("NONE")).isFalse();
        assertThat(PersonRules.isIllegalDistinctId("Nan")).isFalse();
        assertThat(PersonRules.isIllegalDistinctId("user@x.com")).isFalse();
    }
}
