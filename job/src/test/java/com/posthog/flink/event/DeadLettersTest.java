package com.posthog.flink.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void theIdDependsOnlyOnLocationAndPayloadSoAReplayLandsOnTheSameRow() {
        DeadLetter first = DeadLetters.parseFailure("not json", 1, "bad", 1000);
        DeadLetter replay = DeadLetters.parseFailure("not json", 99, "bad", 5000);
        DeadLetter other = DeadLetters.parseFailure("not json either", 1, "bad", 1000);

        assertThat(replay.id).isEqualTo(first.id);
        assertThat(other.id).isNotEqualTo(first.id);
        assertThat(DeadLetters.idOf(DeadLetter.INGEST_LOCATION, "not json")).isNotEqualTo(first.id);
    }

    @Test
    void aParseFailureKeepsTheRawTextAndWhatCanBeKnown() {
        String raw =
                "{\"uuid\":\"0179f6ab-8f8e-0000-6d54-3f2b5e7a1a11\",\"distinct_id\":\"d\",\"team_id\":\"x\","
                        + "\"now\":\"2021-10-29T12:00:00Z\",\"data\":\"{\\\"event\\\":\\\"e\\\"}\"}";

        DeadLetter letter =
                DeadLetters.parseFailure(raw, 3, "team_id is not an integer: \"x\"", 1000);

        assertThat(letter.errorLocation).isEqualTo("plugin_server_parse_message");
        assertThat(letter.error)
                .isEqualTo("parseMessage failed. Error: team_id is not an integer: \"x\"");
        assertThat(letter.rawPayload).isEqualTo(raw);
        assertThat(letter.eventUuid).isEqualTo("0179f6ab-8f8e-0000-6d54-3f2b5e7a1a11");
        assertThat(letter.event).isEqualTo("e");
        assertThat(letter.distinctId).isEqualTo("d");
        assertThat(letter.teamId).isNull();
        assertThat(letter.now)
                .isEqualTo(java.time.Instant.parse("2021-10-29T12:00:00Z").toEpochMilli());
    }

    @Test
    void aMessageThatIsNotJsonIsKeptAsText() {
        DeadLetter letter =
                DeadLetters.parseFailure("\u0000garbage", 0, "the message is not a JSON object", 1);

        assertThat(letter.rawPayload).isEqualTo("\u0000garbage");
        assertThat(letter.eventUuid).isNull();
        assertThat(letter.teamId).isNull();
    }
}
