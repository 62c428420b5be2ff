package com.posthog.flink.plugin;

import java.util.ArrayList;
import java.util.List;

/**
 * The wall-clock ticks of scheduled tasks, aligned to UTC (CONTRACTS.md): a minute tick at second
 * 0, an hour tick at minute 0, a day tick at 00:00 UTC. One timer per team at the next minute
 * boundary serves all three.
 */
final class Schedule {

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private Schedule() {}

    /** The first minute boundary strictly after {@code time}. */
    static long nextTick(long time) {
        return (time / MINUTE + 1) * MINUTE;
    }

    /** Plugin metrics go out every 30 minutes (spec §2.7), once if that boundary was crossed. */
    static boolean metricsDue(long tick, long now) {
        return now / (30 * MINUTE) * (30 * MINUTE) >= tick;
    }

    /**
     * The tasks due when the tick set for {@code tick} fires at {@code now} (later after downtime):
     * the minute's once, and the hour's and the day's once if one of their boundaries lies in
     * {@code [tick, now]}, so missed ticks run once, not once per missed tick.
     */
    static List<String> due(long tick, long now) {
        List<String> tasks = new ArrayList<>(List.of("runEveryMinute"));
        if (now / HOUR * HOUR >= tick) {
            tasks.add("runEveryHour");
        }
        if (now / DAY * DAY >= tick) {
            tasks.add("runEveryDay");
        }
        return tasks;
    }
}
