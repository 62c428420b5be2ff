package com.posthog.flink.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.event.SessionRecording;
import com.posthog.flink.ingestion.persons.MemoryPersonCache;
import com.posthog.flink.ingestion.persons.MemoryPersonDatabase;
import com.posthog.flink.ingestion.persons.PersonChanges;
import com.posthog.flink.ingestion.persons.PersonRules;
import com.posthog.flink.ingestion.persons.Persons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventIngesterTest {

    private static final String UUID = "017cc6f6-33a0-0000-8b7a-3c8f5a64a2b1";
    private static final long WALL_CLOCK = Instant.parse("2021-10-29T12:00:05Z").toEpochMilli();

    private final MemoryIngestionDatabase database = new MemoryIngestionDatabase();
    private final MemoryPersonDatabase persons = database.persons();
    private final EventIngester ingester =
            new EventIngester(
                    new TeamCache(database.teams(), () -> WALL_CLOCK),
                    new PersonRules(
                            new Persons(persons, new MemoryPersonCache(), PersonChanges.NONE)),
                    database,
                    true);
    private final List<SessionRecording> recordings = new ArrayList<>();
    private final List<GroupRow> groups = new ArrayList<>();

    private static ObjectNode event() {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("uuid", UUID);
        event.put("distinct_id", "user-1");
        event.put("team_id", 2);
        event.put("event", "$pageview");
        event.put("now", "2021-10-29T12:00:00Z");
        event.put("sent_at", "");
        event.putNull("ip");
        event.putObject("properties");
        return event;
    }

    private IngestedEvent ingest(ObjectNode event) throws Exception {
        long team = event.get("team_id").asLong();
        List<IngestedEvent> events = new ArrayList<>();
        ingester.ingest(
                new PipelineEvent(team, Json.write(event), "raw", 5),
                WALL_CLOCK,
                new EventIngester.Output() {
                    @Override
                    public void event(IngestedEvent ingested) {
                        events.add(ingested);
                    }

                    @Override
                    public void recording(SessionRecording recording) {
                        recordings.add(recording);
                    }

                    @Override
                    public void group(GroupRow group) {
                        groups.add(group);
                    }
                });
        return events.isEmpty() ? null : events.get(0);
    }

    private JsonNode properties(ObjectNode event) throws Exception {
        return Json.parse(ingest(event).properties);
    }

    @Test
    void aPlainEventBecomesARowWithItsTimeAndNames() throws Exception {
        IngestedEvent row = ingest(event());

        assertThat(row.uuid).isEqualTo(UUID);
        assertThat(row.event).isEqualTo("$pageview");
        assertThat(row.teamId).isEqualTo(2);
        assertThat(row.distinctId).isEqualTo("user-1");
        assertThat(row.timestamp).isEqualTo(Instant.parse("2021-10-29T12:00:00Z").toEpochMilli());
        assertThat(row.createdAt).isEqualTo(WALL_CLOCK);
        assertThat(row.rawPayload).isEqualTo("raw");
        assertThat(row.kafkaOffset).isEqualTo(5);
    }

    @Test
    void anInvalidUuidIsRefusedWithTheOriginalsMessage() {
        ObjectNode event = event();
        event.put("uuid", "null");
        assertThatThrownBy(() -> ingest(event))
                .isInstanceOf(IngestionException.class)
                .hasMessage("Not a valid UUID: \"null\"");
        event.remove("uuid");
        assertThatThrownBy(() -> ingest(event)).hasMessage("Not a valid UUID: \"undefined\"");
    }

    @Test
    void anUnknownTeamIsRefusedWithTheOriginalsMessage() {
        ObjectNode event = event();
        event.put("team_id", 1337);

        assertThatThrownBy(() -> ingest(event))
                .isInstanceOf(IngestionException.class)
                .hasMessage("No team found with ID 1337. Can't ingest event.");
    }

    @Test
    void teamsAreCachedIncludingUnknownOnes() throws Exception {
        ingest(event());
        ingest(event());
        ObjectNode unknown = event();
        unknown.put("team_id", 1337);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ingest(unknown)).isInstanceOf(IngestionException.class);
        }

        assertThat(database.teamFetches).isEqualTo(2);
    }

    @Test
    void ipIsAddedOnlyWhenPresentNotAnonymisedAndNotAlreadySet() throws Exception {
        ObjectNode noIp = event();
        assertThat(properties(noIp).has("$ip")).isFalse();

        ObjectNode withIp = event();
        withIp.put("ip", "11.12.13.14");
        assertThat(properties(withIp).get("$ip").asText()).isEqualTo("11.12.13.14");

        ObjectNode clientIp = event();
        clientIp.put("ip", "11.12.13.14");
        ((ObjectNode) clientIp.get("properties")).put("$ip", "1.0.0.1");
        assertThat(properties(clientIp).get("$ip").asText()).isEqualTo("1.0.0.1");

        ObjectNode anonymised = event();
        anonymised.put("ip", "11.12.13.14");
        anonymised.put("team_id", 3);
        assertThat(properties(anonymised).has("$ip")).isFalse();
    }

    @Test
    void topLevelSetAndSetOnceAreMergedIntoPropertiesAndWin() throws Exception {
        ObjectNode event = event();
        ((ObjectNode) event.get("properties")).putObject("$set").put("a", 1).put("b", 1);
        event.putObject("$set").put("b", 2).put("c", 3);
        event.putObject("$set_once").put("x", true);

        JsonNode properties = properties(event);

        assertThat(properties.get("$set").toString()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3}");
        assertThat(properties.get("$set_once").toString()).isEqualTo("{\"x\":true}");
    }

    @Test
    void eventNamesAreStringifiedAndCutTo200Characters() throws Exception {
        ObjectNode long_ = event();
        long_.put("event", "x".repeat(250));
        assertThat(ingest(long_).event).hasSize(200);

        ObjectNode object = event();
        object.putObject("event").put("a", 1);
        assertThat(ingest(object).event).isEqualTo("{\"a\":1}");

        ObjectNode missing = event();
        missing.remove("event");
        assertThatThrownBy(() -> ingest(missing)).isInstanceOf(IngestionException.class);
    }

    @Test
    void timestampAndSentAtUseTheSkewRule() throws Exception {
        ObjectNode event = event();
        event.put("timestamp", "2021-11-01T12:00:00Z");
        event.put("sent_at", "2021-11-01T12:00:10Z");

        assertThat(ingest(event).timestamp)
                .isEqualTo(Instant.parse("2021-10-29T11:59:50Z").toEpochMilli());
    }

    @Test
    void anUnreadableTimeIsTheEventsFault() {
        ObjectNode badTimestamp = event();
        badTimestamp.put("timestamp", "later");
        assertThatThrownBy(() -> ingest(badTimestamp)).isInstanceOf(IngestionException.class);

        ObjectNode noNow = event();
        noNow.remove("now");
        assertThatThrownBy(() -> ingest(noNow))
                .isInstanceOf(IngestionException.class)
                .hasMessage("Invalid now: null");
    }

    @Test
    void aSnapshotBecomesARecordingAndCreatesThePersonButNoEvent() throws Exception {
        ObjectNode event = event();
        event.put("event", "$snapshot");
        event.put("distinct_id", "some-id");
        ((ObjectNode) event.get("properties"))
                .put("$session_id", "abcf-efg")
                .putObject("$snapshot_data")
                .put("timestamp", 123);

        assertThat(ingest(event)).isNull();

        assertThat(recordings).hasSize(1);
        SessionRecording recording = recordings.get(0);
        assertThat(recording.sessionId).isEqualTo("abcf-efg");
        assertThat(recording.distinctId).isEqualTo("some-id");
        assertThat(recording.snapshotData).isEqualTo("{\"timestamp\":123}");
        assertThat(persons.persons(2)).hasSize(1);
    }

    @Test
    void aNewDistinctIdGetsAPersonCreatedAtSentAt() throws Exception {
        ObjectNode event = event();
        event.put("sent_at", "2021-10-29T11:00:00Z");

        ingest(event);

        assertThat(persons.persons(2)).hasSize(1);
        assertThat(persons.persons(2).get(0).createdAt)
                .isEqualTo(Instant.parse("2021-10-29T11:00:00Z").toEpochMilli());
        assertThat(persons.persons(2).get(0).distinctIds).containsExactly("user-1");
    }

    @Test
    void elementsAreExtractedIntoTheChainAndRemovedFromProperties() throws Exception {
        ObjectNode event = event();
        ((ObjectNode) event.get("properties"))
                .putArray("$elements")
                .addObject()
                .put("tag_name", "a")
                .put("nth_child", 1)
                .put("nth_of_type", 2)
                .put("attr__class", "btn btn-sm");

        IngestedEvent row = ingest(event);

        assertThat(row.elementsChain)
                .isEqualTo(
                        "a.btn.btn-sm:attr__class=\"btn btn-sm\"nth-child=\"1\"nth-of-type=\"2\"");
        assertThat(Json.parse(row.properties).has("$elements")).isFalse();
    }

    @Test
    void utmAndInitialPropertiesGoToSetAndSetOnceAndThePerson() throws Exception {
        ObjectNode event = event();
        ((ObjectNode) event.get("properties"))
                .put("utm_medium", "twitter")
                .put("$browser", "Chrome");

        JsonNode properties = Json.parse(ingest(event).properties);

        assertThat(properties.get("$set").get("utm_medium").asText()).isEqualTo("twitter");
        assertThat(properties.get("$set_once").get("$initial_browser").asText())
                .isEqualTo("Chrome");
        assertThat(
                        Json.parse(persons.persons(2).get(0).properties)
                                .get("$initial_utm_medium")
                                .asText())
                .isEqualTo("twitter");
    }

    @Test
    void groupsGetTheirIndexAndGroupIdentifyWritesTheGroupWithoutTouchingThePerson()
            throws Exception {
        ObjectNode grouped = event();
        ((ObjectNode) grouped.get("properties"))
                .putObject("$groups")
                .put("organization", "PostHog")
                .put("project", "web");
        JsonNode properties = Json.parse(ingest(grouped).properties);
        assertThat(properties.get("$group_0").asText()).isEqualTo("PostHog");
        assertThat(properties.get("$group_1").asText()).isEqualTo("web");

        ObjectNode identify = event();
        identify.put("event", "$groupidentify");
        ((ObjectNode) identify.get("properties"))
                .put("$group_type", "organization")
                .put("$group_key", "org::5")
                .putObject("$group_set")
                .put("foo", "bar");
        identify.putObject("$set").put("ignored", true);
        ingest(identify);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).groupTypeIndex).isZero();
        assertThat(groups.get(0).groupKey).isEqualTo("org::5");
        assertThat(groups.get(0).groupProperties).isEqualTo("{\"foo\":\"bar\"}");
        assertThat(Json.parse(persons.persons(2).get(0).properties).has("ignored")).isFalse();
    }

    @Test
    void definitionsAreWrittenOnceForNewNames() throws Exception {
        ingest(event());
        ingest(event());

        assertThat(database.definitionWrites).hasSize(1);
        assertThat(database.definitionWrites.get(0).eventNames()).containsExactly("$pageview");
    }
}
