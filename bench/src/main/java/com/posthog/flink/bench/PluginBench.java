package com.posthog.flink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.cli.pluginrun.Arguments;
import com.posthog.flink.cli.pluginrun.Harness;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.PluginHost;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * {@code scripts/bench plugins}: each corpus plugin's {@code processEvent} over the same generated
 * events, from an event's JSON text to the processed event's JSON text. This class generates the
 * events, measures this runtime (the script runs it once with the Graal JIT, once without), and
 * prints the table of all columns; {@code bench/node/plugins/bench.js} measures the Node columns.
 *
 * <pre>
 * PluginBench events FILE COUNT
 * PluginBench runtime CORPUS.json PLUGIN_DIR EVENTS.jsonl WARMUP_S RUN_S RUNS
 * PluginBench passing PLUGIN_DIR EVENTS.jsonl WARMUP_S RUN_S RUNS     (see EventPassing)
 * PluginBench report RESULTS_DIR                                      (a.tsv, b.tsv, c.tsv, c2.tsv, d.tsv)
 * </pre>
 */
public final class PluginBench {

    /** The columns: results file, label; ratios are to {@link #BASELINE}. */
    private static final String[][] COLUMNS = {
        {"a", "(a) GraalJS compiled"},
        {"b", "(b) GraalJS interpreted"},
        {"c", "(c) Node vm2, host object"},
        {"c2", "(c') Node vm2, JSON"},
        {"d", "(d) plain Node"},
    };

    private static final String BASELINE = "c";

    private static final String[] EVENT_NAMES = {
        "$pageview",
        "$pageview",
        "$autocapture",
        "$identify",
        "signed_up",
        "orderCompleted",
        "user signed-up",
        "$feature_flag_called"
    };

    /** Two addresses in the geoip plugin's test database, one local, two unknown to it. */
    private static final String[] IPS = {
        "89.160.20.129", "81.2.69.142", "127.0.0.1", "10.0.0.1", "203.0.113.7"
    };

    private PluginBench() {}

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "events" -> Files.write(Path.of(args[1]), events(Integer.parseInt(args[2]), 42));
            case "runtime" ->
                    Throughput.measure(
                            runtimeSteps(Path.of(args[1]), Path.of(args[2])),
                            Files.readAllLines(Path.of(args[3])),
                            Double.parseDouble(args[4]),
                            Double.parseDouble(args[5]),
                            Integer.parseInt(args[6]));
            case "passing" ->
                    EventPassing.main(
                            Path.of(args[1]),
                            Files.readAllLines(Path.of(args[2])),
                            Double.parseDouble(args[3]),
                            Double.parseDouble(args[4]),
                            Integer.parseInt(args[5]));
            case "report" -> report(Path.of(args[1]));
            default -> {
                System.err.println("Usage: PluginBench events|runtime|passing|report ...");
                System.exit(2);
            }
        }
    }

    /**
     * Events as the plugin stage gets them, with something for every plugin to do: nested
     * properties and arrays (flattener, filter), names in several conventions (taxonomy), addresses
     * in and out of the MaxMind test database and repeat users (geoip and its cache).
     */
    static List<String> events(int count, long seed) {
        Random random = new Random(seed);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<String> events = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            String name = EVENT_NAMES[random.nextInt(EVENT_NAMES.length)];
            String distinctId = "user-" + random.nextInt(100);
            String timestamp = start.plusSeconds(n).toString();
            event.put("uuid", new UUID(random.nextLong(), random.nextLong()).toString());
            event.put("distinct_id", distinctId);
            event.put("ip", IPS[random.nextInt(IPS.length)]);
            event.put("site_url", "http://localhost:8000");
            event.put("team_id", 2);
            event.put("now", timestamp);
            event.put("sent_at", timestamp);
            event.put("timestamp", timestamp);
            event.put("event", name);
            ObjectNode properties = event.putObject("properties");
            properties.put("distinct_id", distinctId);
            properties.put("$current_url", "http://localhost:8000/docs/" + random.nextInt(20));
            properties.put("$browser", random.nextBoolean() ? "Chrome" : "Firefox");
            properties.put("$os", "Mac OS X");
            properties.put("$lib", "web");
            properties.put("gender", random.nextBoolean() ? "female" : "male");
            if (random.nextInt(4) == 0) {
                properties.put("$ip", IPS[random.nextInt(IPS.length)]);
            }
            ObjectNode baz = properties.putObject("foo").putObject("bar").putObject("baz");
            baz.put("one", "one");
            baz.put("two", random.nextInt(1000));
            ObjectNode cart = properties.putObject("cart");
            ArrayNode items = cart.putArray("items");
            for (int i = random.nextInt(4); i > 0; i--) {
                items.addObject().put("sku", "sku-" + random.nextInt(50)).put("qty", 1 + i);
            }
            cart.put("total", random.nextInt(10_000) / 100.0);
            properties.putArray("$active_feature_flags").add("beta").add("new-nav");
            if (name.equals("$autocapture")) {
                properties.putArray("$elements").addObject().put("tag_name", "button");
            }
            if (name.equals("$identify")) {
                ObjectNode set = properties.putObject("$set");
                set.put("age", 20 + random.nextInt(50));
                set.put("pet", "dog");
                set.putObject("company").put("size", random.nextInt(500));
            }
            events.add(Json.write(event));
        }
        return events;
    }

    /**
     * This runtime as {@code plugin-run} and the plugin stage drive it: per plugin one {@link
     * PluginHost} with the plugin's config, its {@code processEvent} chain run for every event
     * (with the {@code $plugins_succeeded} bookkeeping).
     */
    private static Map<String, Throughput.Step> runtimeSteps(Path corpusFile, Path pluginDir)
            throws Exception {
        Map<String, Throughput.Step> steps = new LinkedHashMap<>();
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        for (JsonNode plugin : Json.parse(Files.readString(corpusFile)).get("plugins")) {
            Path folder = pluginDir.resolve(plugin.get("name").asText());
            List<String> args = new ArrayList<>(List.of("--plugin", folder.toString()));
            plugin.get("config")
                    .fields()
                    .forEachRemaining(
                            c ->
                                    args.addAll(
                                            List.of(
                                                    "--config",
                                                    c.getKey() + "=" + c.getValue().asText())));
            if (plugin.has("mmdb")) {
                args.addAll(
                        List.of("--mmdb", folder.resolve(plugin.get("mmdb").asText()).toString()));
            }
            PluginHost host =
                    Harness.benchHost(Arguments.parse(args.toArray(String[]::new)), quiet);
            List<String> failures = host.setUp(Harness.TEAM);
            if (!failures.isEmpty()) {
                throw new IllegalStateException(folder + " failed to load: " + failures.get(0));
            }
            steps.put(
                    plugin.get("name").asText(),
                    eventJson -> {
                        ObjectNode out =
                                host.processEvent(Harness.TEAM, Json.parseObject(eventJson));
                        return out == null ? 0 : Json.write(out).length();
                    });
        }
        return steps;
    }

    /** The columns' events/s per plugin, and each column's ratio to column (c). */
    private static void report(Path results) throws Exception {
        Map<String, Map<String, Double>> rates = new LinkedHashMap<>();
        for (String[] column : COLUMNS) {
            Map<String, Double> byPlugin = new LinkedHashMap<>();
            Path file = results.resolve(column[0] + ".tsv");
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split("\t");
                    byPlugin.put(fields[0], Double.parseDouble(fields[1]));
                }
            }
            rates.put(column[0], byPlugin);
        }
        List<String> plugins = new ArrayList<>(rates.get(BASELINE).keySet());
        System.out.printf("%-28s", "events/s");
        for (String plugin : plugins) {
            System.out.printf("%28s", plugin);
        }
        System.out.println();
        for (String[] column : COLUMNS) {
            System.out.printf("%-28s", column[1]);
            for (String plugin : plugins) {
                Double rate = rates.get(column[0]).get(plugin);
                Double base = rates.get(BASELINE).get(plugin);
                System.out.printf(
                        "%28s",
                        rate == null
                                ? "-"
                                : column[0].equals(BASELINE)
                                        ? String.format("%,.0f", rate)
                                        : String.format("%,.0f (%.2fx)", rate, rate / base));
            }
            System.out.println();
        }
        double worst = Double.MAX_VALUE;
        for (String plugin : plugins) {
            worst =
                    Math.min(
                            worst,
                            rates.get("a").getOrDefault(plugin, 0.0)
                                    / rates.get(BASELINE).get(plugin));
        }
        System.out.printf(
                "bench plugins: %.2f x (worst plugin), ratio of (a) GraalJS compiled to (c) Node vm2 (target 3)%n",
                worst);
    }
}
