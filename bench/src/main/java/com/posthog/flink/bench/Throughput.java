package com.posthog.flink.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events per second of named steps over a list of events: one warm-up that takes the steps
 * round-robin, then for each step the median of several timed runs. The Node harness ({@code
 * bench/node/plugins/bench.js}) measures the same way.
 */
final class Throughput {

    /**
     * Work on one event, given as its JSON text; returns something to keep it from being elided.
     */
    interface Step {
        int run(String eventJson) throws Exception;
    }

    /** Written so that no step's result is dead code. */
    static volatile int sink;

    private Throughput() {}

    /** Medians by step name, in the given order; prints "name\tevents/s" as each is known. */
    static Map<String, Double> measure(
            Map<String, Step> steps,
            List<String> events,
            double warmupSeconds,
            double runSeconds,
            int runs)
            throws Exception {
        Map<String, int[]> positions = new LinkedHashMap<>();
        steps.keySet().forEach(name -> positions.put(name, new int[1]));
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < warmupEnd) {
            for (Map.Entry<String, Step> step : steps.entrySet()) {
                rate(step.getValue(), events, 1, positions.get(step.getKey()));
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<String, Step> step : steps.entrySet()) {
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                rates.add(rate(step.getValue(), events, runSeconds, positions.get(step.getKey())));
            }
            double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            medians.put(step.getKey(), median);
            System.out.printf(
                    "%s\t%.0f\t(runs %s)%n",
                    step.getKey(),
                    median,
                    Arrays.toString(rates.stream().mapToLong(Math::round).toArray()));
        }
        return medians;
    }

    /** Takes the events in turn from {@code position[0]}; the clock is read every 64 events. */
    private static double rate(Step step, List<String> events, double seconds, int[] position)
            throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long count = 0;
        long now = start;
        int kept = 0;
        while (now < end) {
            for (int i = 0; i < 64; i++) {
                kept += step.run(events.get(position[0]));
                position[0] = (position[0] + 1) % events.size();
            }
            count += 64;
            now = System.nanoTime();
        }
        sink = kept;
        return count / ((now - start) / 1e9);
    }
}
