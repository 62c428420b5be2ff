package com.posthog.flink.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class MessageParserTest {

    private static JsonNode body(PipelineEvent event) throws Exception {
        return Json.parse(event.body);
    }

    @Test
    void keysInsideDataOverrideTheOuterFields() throws Exception {
        String raw =
                "{\"uuid\":\"017c\",\"distinct_id\":\"outer\",\"ip\":\"1.1.1.1\",\"site_url\":\"http://x\","
                        + "\"team_id\":2,\"now\":\"2021-10-29T12:00:00Z\",\"sent_at\":\"\","
                        + "\"data\":\"{\\\"event\\\":\\\"$pageview\\\",\\\"distinct_id\\\":\\\"inner\\\",\\\"properties\\\":{\\\"a\\\":1}}\"}";

        PipelineEvent event = MessageParser.parse(raw, 7);

        assertThat(event.teamId).isEqualTo(2);
        assertThat(event.rawPayload).isEqualTo(raw);
        assertThat(event.kafkaOffset).isEqualTo(7);
        JsonNode body = body(event);
        assertThat(body.get("distinct_id").asText()).isEqualTo("inner");
        assertThat(body.get("event").asText()).isEqualTo("$pageview");
        assertThat(body.get("ip").asText()).isEqualTo("1.1.1.1");
        assertThat(body.get("properties").get("a").asInt()).isEqualTo(1);
        assertThat(body.has("data")).isFalse();
    }

    @Test
    void emptySiteUrlAndIpBecomeNullAndDistinctIdBecomesAString() throws Exception {
        String raw =
                "{\"uuid\":\"u\",\"distinct_id\":35,\"ip\":\"\",\"site_url\":\"\",\"team_id\":2,"
                        + "\"data\":\"{\\\"event\\\":\\\"e\\\"}\"}";

        JsonNode body = body(MessageParser.parse(raw, 0));

        assertThat(body.get("ip").isNull()).isTrue();
        assertThat(body.get("site_url").isNull()).isTrue();
        assertThat(body.get("distinct_id").isTextual()).isTrue();
        assertThat(body.get("distinct_id").asText()).isEqualTo("35");
    }

    @Test
    void aMissingDistinctIdBecomesTheStringUndefinedAsInJavaScript() throws Exception {
        JsonNode body = body(MessageParser.parse("{\"team_id\":2,\"data\":\"{}\"}", 0));

        assertThat(body.get("distinct_id").asText()).isEqualTo("undefined");
    }

    @Test
    void aNumericStringTeamIdIsAccepted() throws Exception {
        assertThat(MessageParser.parse("{\"team_id\":\"3\",\"data\":\"{}\"}", 0).teamId)
                .isEqualTo(3);
    }

    @Test
    void dataMayAlreadyBeAnObject() throws Exception {
        JsonNode body = body(MessageParser.parse("{\"team_id\":2,\"data\":{\"event\":\"e\"}}", 0));

        assertThat(body.get("event").asText()).isEqualTo("e");
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertThatThrownBy(() -> MessageParser.parse("not json", 0))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("the message is not a JSON object");
        assertThatThrownBy(() -> MessageParser.parse("[1,2]", 0))
                .hasMessage("the message is not a JSON object");
        assertThatThrownBy(() -> MessageParser.parse("{\"data\":\"{}\"}", 0))
                .hasMessage("the message has no team_id");
        assertThatThrownBy(() -> MessageParser.parse("{\"team_id\":\"abc\",\"data\":\"{}\"}", 0))
                .hasMessage("team_id is not an integer: \"abc\"");
        assertThatThrownBy(() -> MessageParser.parse("{\"team_id\":2.5,\"data\":\"{}\"}", 0))
                .hasMessage("team_id is not an integer: 2.5");
        assertThatThrownBy(() -> MessageParser.parse("{\"team_id\":2,\"data\":\"{oops\"}", 0))
                .hasMessage("data is not a JSON object");
        assertThatThrownBy(() -> MessageParser.parse("{\"team_id\":2}", 0))
                .hasMessage("the message has no data");
    }
}
