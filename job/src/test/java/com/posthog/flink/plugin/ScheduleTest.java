package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void ticksAreOnTheNextMinuteBoundaryInUtc() {
        assertThat(Schedule.nextTick(at("2021-10-29T11:58:10Z")))
                .isEqualTo(at("2021-10-29T11:59:00Z"));
        assertThat(Schedule.nextTick(at("2021-10-29T11:59:00Z")))
                .isEqualTo(at("2021-10-29T12:00:00Z"));
    }

    @Test
    void hourAndDayTasksRunOnTheirBoundariesOrOnceWhenCrossedDuringDowntime() {
        assertThat(Schedule.due(at("2021-10-29T11:59:00Z"), at("2021-10-29T11:59:00Z")))
                .containsExactly("runEveryMinute");
        assertThat(Schedule.due(at("2021-10-29T12:00:00Z"), at("2021-10-29T12:00:00Z")))
                .containsExactly("runEveryMinute", "runEveryHour");
        assertThat(Schedule.due(at("2021-10-30T00:00:00Z"), at("2021-10-30T00:00:01Z")))
                .containsExactly("runEveryMinute", "runEveryHour", "runEveryDay");
        assertThat(Schedule.due(at("2021-10-29T11:59:00Z"), at("2021-10-29T14:30:00Z")))
                .containsExactly("runEveryMinute", "runEveryHour");
    }
}
