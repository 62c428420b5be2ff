package com.posthog.flink.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final long NOW = Instant.parse("2021-10-29T12:00:00.000Z").toEpochMilli();
    private static final long THREE_DAYS = 3 * 24 * 3600 * 1000L;

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void timestampAndSentAtCorrectTheClientClockSkew() {
        // A client three days fast: it says the event happened 10 s before it sent it.
        long sentAt = ms("2021-11-01T12:00:10Z");
        long time = Timestamps.eventTime(new TextNode("2021-11-01T12:00:00Z"), null, NOW, sentAt);

        assertThat(time).isEqualTo(NOW - 10_000);
    }

    @Test
    void timestampWithoutSentAtIsUsedAsIsSkewIncluded() {
        long time = Timestamps.eventTime(new TextNode("2021-11-01T12:00:00Z"), null, NOW, null);

        assertThat(time).isEqualTo(NOW + THREE_DAYS);
    }

    @Test
    void offsetWithoutTimestampCountsBackFromNowAndIgnoresSentAt() {
        long time = Timestamps.eventTime(null, new IntNode(1500), NOW, ms("2021-11-01T00:00:00Z"));

        assertThat(time).isEqualTo(NOW - 1500);
    }

    @Test
    void neitherTimestampNorOffsetMeansNow() {
        assertThat(Timestamps.eventTime(null, null, NOW, null)).isEqualTo(NOW);
        assertThat(Timestamps.eventTime(new TextNode(""), new IntNode(0), NOW, null))
                .isEqualTo(NOW);
    }

    @Test
    void timestampsWithAnOffsetAreAbsoluteInstants() {
        JsonNode withOffset = new TextNode("2021-10-29T14:00:00+02:00");

        assertThat(Timestamps.eventTime(withOffset, null, NOW, null)).isEqualTo(NOW);
    }

    @Test
    void microsecondsAreDroppedToMilliseconds() {
        assertThat(Timestamps.parseIso("2021-10-29T12:00:00.123456Z"))
                .isEqualTo(ms("2021-10-29T12:00:00.123Z"));
    }

    @Test
    void readsTheDateShapesClientsSend() {
        assertThat(Timestamps.parseIso("2021-10-29")).isEqualTo(ms("2021-10-29T00:00:00Z"));
        assertThat(Timestamps.parseIso("2021-10-29 12:00:00")).isEqualTo(NOW);
        assertThat(Timestamps.parseIso("2021-10-29T12:00:00")).isEqualTo(NOW);
        assertThat(Timestamps.parseIso("2021-10-29T13:00:00+0100")).isEqualTo(NOW);
        assertThat(Timestamps.parseDate(new TextNode("Fri, 29 Oct 2021 12:00:00 GMT")))
                .isEqualTo(NOW);
        assertThat(Timestamps.parseDate(new com.fasterxml.jackson.databind.node.LongNode(NOW)))
                .isEqualTo(NOW);
        assertThat(Timestamps.parseIso("yesterday")).isNull();
    }

    @Test
    void anUnreadableTimestampIsAnError() {
        assertThatThrownBy(() -> Timestamps.eventTime(new TextNode("soon"), null, NOW, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid timestamp \"soon\": not a date");
    }
}
