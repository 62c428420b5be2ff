package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.MessageParser;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules from processing-time timers aligned to UTC, on the plugin stage with a controlled
 * clock, against the real Postgres and Redis: one tick per minute, the hour's task on the hour, a
 * missed stretch runs once, and a team never has two timers.
 */
class ScheduleITCase {

    private static final long TEN_PAST = Instant.parse("2021-10-29T11:58:10Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<Long, PipelineEvent, PipelineEvent> harness;
    private Settings settings;

    @BeforeEach
    void open() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        services.installPlugin("scheduled", "file:udf-plugins/fixtures/scheduled", 1, "{}");
        settings =
                services.settings("unused", "unused", true)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PluginStage(settings)),
                        event -> event.teamId,
                        Types.LONG);
        harness.setProcessingTime(TEN_PAST);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<String> ticks() {
        return harness.getSideOutput(Outputs.PLUGIN_LOGS).stream()
                .map(StreamRecord::getValue)
                .filter(entry -> entry.source() == PluginLogEntry.Source.CONSOLE)
                .map(PluginLogEntry::message)
                .toList();
    }

    @Test
    void minuteTicksRunOnTheMinuteAndTheHourlyTaskOnTheHour() throws Exception {
        harness.processElement(
                new StreamRecord<>(MessageParser.parse(Messages.event(1, "u", "e", "{}"), 0)));
        harness.processElement(
                new StreamRecord<>(MessageParser.parse(Messages.event(2, "u", "e", "{}"), 1)));
        assertThat(harness.numProcessingTimeTimers()).isOne();

        harness.setProcessingTime(TEN_PAST + 50_000);
        assertThat(ticks()).containsExactly("minute tick");

        harness.setProcessingTime(TEN_PAST + 50_000 + MINUTE);
        assertThat(ticks()).containsExactly("minute tick", "minute tick", "hour tick");
        assertThat(harness.numProcessingTimeTimers()).isOne();
    }

    @Test
    void aLongStretchWithoutTicksRunsTheMissedTickOnce() throws Exception {
        harness.processElement(
                new StreamRecord<>(MessageParser.parse(Messages.event(1, "u", "e", "{}"), 0)));

        // Ten minutes pass at once: the overdue tick runs once, with the hour it crossed.
        harness.setProcessingTime(TEN_PAST + 10 * MINUTE);

        assertThat(ticks()).containsExactly("minute tick", "hour tick");
        assertThat(harness.numProcessingTimeTimers()).isOne();
    }

    @Test
    void aControlRecordStartsTheSchedulesOfATeamThatSendsNoEvents() throws Exception {
        harness.processElement(new StreamRecord<>(PipelineEvent.control(2)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isOne();
        harness.setProcessingTime(TEN_PAST + 50_000);
        assertThat(ticks()).containsExactly("minute tick");
    }

    @Test
    void theControlStreamNamesEveryTeamWithPluginConfigsInForce() throws Exception {
        PluginControl.TeamsWithPlugins teams = new PluginControl.TeamsWithPlugins(settings);
        List<PipelineEvent> records = new java.util.ArrayList<>();
        teams.open(null);
        try {
            teams.flatMap(
                    0L,
                    new org.apache.flink.util.Collector<>() {
                        @Override
                        public void collect(PipelineEvent record) {
                            records.add(record);
                        }

                        @Override
                        public void close() {}
                    });
        } finally {
            teams.close();
        }

        assertThat(records).hasSize(1);
        assertThat(records.get(0).teamId).isEqualTo(2);
        assertThat(records.get(0).isControl()).isTrue();
    }
}
