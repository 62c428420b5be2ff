package com.posthog.flink.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.MessageParser;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.testing.Messages;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingestion operator on its own: events out in order, dead letters to the side. */
class IngestionStageTest {

    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, IngestedEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new IngestionStage(MemoryIngestionDatabase::new, true)),
                        event -> event.teamId,
                        Types.LONG);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void process(String message) throws Exception {
        harness.processElement(new StreamRecord<>(MessageParser.parse(message, 0)));
    }

    @Test
    void eventsComeOutInOrderAndFaultyOnesGoToTheDeadLetters() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        process(Messages.event(first, "a", 2, "one"));
        process(Messages.faulty(Messages.Fault.UNKNOWN_TEAM, 1));
        process(Messages.faulty(Messages.Fault.INVALID_UUID, 2));
        process(Messages.event(second, "b", 2, "two"));

        List<IngestedEvent> events = harness.extractOutputValues();
        assertThat(events).extracting(e -> e.uuid).containsExactly(first, second);
        List<DeadLetter> letters =
                harness.getSideOutput(Outputs.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(letters)
                .extracting(l -> l.error)
                .containsExactly(
                        Messages.Fault.UNKNOWN_TEAM.error, Messages.Fault.INVALID_UUID.error);
        assertThat(letters).allMatch(l -> l.errorLocation.equals(DeadLetter.INGEST_LOCATION));
    }

    @Test
    void theStageCachesEachPersonOnceInKeyedStateAndSetsNoTimers() throws Exception {
        process(Messages.event(UUID.randomUUID().toString(), "a", 2, "one"));
        process(Messages.event(UUID.randomUUID().toString(), "a", 2, "two"));

        // One distinct id mapping and one person, both expiring by TTL rather than by timers.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }
}
