package com.posthog.flink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.Migrations;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.PluginServerJob;
import com.posthog.flink.plugin.PluginControl;
import com.posthog.flink.sink.Sinks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code scripts/bench ingestion}: events per second end to end (produced to Kafka, through the
 * four corpus plugins of 20 teams and the ingestion stage, visible in ClickHouse with their persons
 * in Postgres) in the ClickHouse pipeline at parallelism 2, under the mix of {@link IngestionMix}.
 * A producer keeps a backlog ahead of the job, so the figure is the job's steady rate: events that
 * became visible during the measured minutes, after the warm-up. In the same run, {@code bench
 * pipeline} gives the plain pipeline's rate, and the vertices' busy and back-pressured times from
 * the REST API name the bottleneck.
 *
 * <p>Arguments: the folder of the fetched plugin corpus. Environment: {@code BENCH_WARMUP_SECONDS}
 * (120), {@code BENCH_MEASURE_SECONDS} (300), {@code BENCH_PIPELINE_MESSAGES} (200000), and the
 * stack's settings.
 */
public final class IngestionBench {

    private static final String DATABASE = "posthog_bench_ingestion";
    private static final int REST_PORT = 8089;
    private static final long BACKLOG = 200_000;

    /** The corpus plugins in chain order, with their config. */
    private static final Map<String, String> PLUGINS = new LinkedHashMap<>();

    static {
        PLUGINS.put("geoip-plugin", "{}");
        PLUGINS.put("property-flattener-plugin", "{\"separator\":\"__\"}");
        PLUGINS.put("taxonomy-plugin", "{\"defaultNamingConvention\":\"snake_case\"}");
        PLUGINS.put("property-filter-plugin", "{\"properties\":\"$ip\"}");
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]).toAbsolutePath();
        Map<String, String> env = System.getenv();
        long warmup = Long.parseLong(env.getOrDefault("BENCH_WARMUP_SECONDS", "120"));
        long measured = Long.parseLong(env.getOrDefault("BENCH_MEASURE_SECONDS", "300"));
        int pipelineMessages =
                Integer.parseInt(env.getOrDefault("BENCH_PIPELINE_MESSAGES", "200000"));
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench_ingestion_" + id;

        Map<String, String> dynamic = new HashMap<>();
        dynamic.put(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC.key(), topic);
        dynamic.put(PluginServerOptions.KAFKA_DEAD_LETTER_TOPIC.key(), topic + "_dead_letters");
        dynamic.put(PluginServerOptions.KAFKA_CONSUMER_GROUP.key(), "bench-" + id);
        dynamic.put(PluginServerOptions.KAFKA_ENABLED.key(), "true");
        dynamic.put(PluginServerOptions.CLICKHOUSE_DATABASE.key(), DATABASE);
        dynamic.put(
                PluginServerOptions.DATABASE_URL.key(),
                Settings.PostgresConnection.fromUrl(
                                env.getOrDefault(
                                        "DATABASE_URL",
                                        PluginServerOptions.DATABASE_URL.defaultValue()))
                        .withDatabase(DATABASE)
                        .toString());
        dynamic.put(
                PluginServerOptions.MMDB_PATH.key(),
                corpus.resolve("geoip-plugin/GeoLite2-City-Test.mmdb").toString());
        Settings settings = Settings.resolve(dynamic, env, new Configuration());

        System.out.println(
                "bench ingestion: fresh databases, 20 teams with the four corpus plugins");
        Migrations.recreate(settings.postgres(), settings.clickHouseEndpoint(), DATABASE);
        installTeamsAndPlugins(settings, corpus);
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", settings.string(PluginServerOptions.KAFKA_HOSTS));
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }

        AtomicLong produced = new AtomicLong();
        AtomicLong visible = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer =
                new Thread(() -> produce(kafka, topic, produced, visible, producing), "producer");
        producer.start();

        Configuration conf =
                PluginServerJob.withLocalCheckpointStorage(
                        PluginServerJob.withUpgradeRules(new Configuration()));
        conf.set(RestOptions.PORT, REST_PORT);
        StreamExecutionEnvironment flink =
                StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        flink.enableCheckpointing(10_000);
        PluginServerJob.defineWorkflow(
                Inputs.kafka(flink, settings),
                PluginControl.stream(flink, settings),
                null,
                settings,
                new Sinks(settings));
        JobClient job = flink.executeAsync("bench ingestion");
        Map<String, double[]> load = new LinkedHashMap<>();
        double rate;
        try (ClickHouseClient clickHouse = ClickHouseClient.fromSettings(settings)) {
            long start = System.nanoTime();
            long[] mark = null;
            while (true) {
                Thread.sleep(5_000);
                long now = System.nanoTime();
                visible.set(stored(clickHouse));
                double elapsed = (now - start) / 1e9;
                boolean measuring = elapsed >= warmup;
                if (measuring && mark == null) {
                    mark = new long[] {now, visible.get()};
                } else if (measuring) {
                    sampleLoad(job.getJobID().toString(), load);
                }
                System.out.printf(
                        "  %4.0f s %s: %,d produced, %,d visible%n",
                        elapsed,
                        measuring ? "measuring" : "warm-up",
                        produced.get(),
                        visible.get());
                if (mark != null && (now - mark[0]) / 1e9 >= measured) {
                    rate = (visible.get() - mark[1]) / ((now - mark[0]) / 1e9);
                    break;
                }
            }
        } finally {
            producing.set(false);
            producer.join();
            job.cancel().get();
        }
        System.out.printf(
                "ingestion (end to end, measured %d s): %,.0f events/s%n", measured, rate);
        System.out.println(
                "vertex load while measuring (busy / back-pressured, average per subtask):");
        String bottleneck = null;
        double busiest = -1;
        for (Map.Entry<String, double[]> vertex : load.entrySet()) {
            double busy = vertex.getValue()[0] / vertex.getValue()[2];
            double pressured = vertex.getValue()[1] / vertex.getValue()[2];
            System.out.printf(
                    "  %-60s %5.1f%% / %5.1f%%%n", vertex.getKey(), busy / 10, pressured / 10);
            if (busy > busiest) {
                busiest = busy;
                bottleneck = vertex.getKey();
            }
        }

        System.out.println("bench pipeline in the same run:");
        double pipeline = PipelineBench.measure(pipelineMessages)[1];
        System.out.printf(
                "bench ingestion: %.0f events/s, ratio %.3f to bench pipeline (%.0f events/s);"
                        + " bottleneck: %s (busy %.0f%%)%n",
                rate, rate / pipeline, pipeline, bottleneck, busiest / 10);
    }

    /** Events and dead letters in ClickHouse, each uuid once. */
    private static long stored(ClickHouseClient clickHouse) throws Exception {
        return clickHouse.query("SELECT uniqExact(uuid) AS c FROM events").get(0).get("c").asLong()
                + clickHouse
                        .query("SELECT count() AS c FROM events_dead_letter_queue")
                        .get(0)
                        .get("c")
                        .asLong();
    }

    /** Keeps {@link #BACKLOG} messages ahead of what is visible, so the job never waits. */
    private static void produce(
            Properties kafka,
            String topic,
            AtomicLong produced,
            AtomicLong visible,
            AtomicBoolean producing) {
        Properties properties = new Properties();
        properties.putAll(kafka);
        properties.setProperty("linger.ms", "20");
        properties.setProperty("batch.size", "262144");
        IngestionMix mix = new IngestionMix();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            while (producing.get()) {
                if (produced.get() - visible.get() >= BACKLOG) {
                    Thread.sleep(100);
                    continue;
                }
                for (int i = 0; i < 10_000; i++) {
                    producer.send(new ProducerRecord<>(topic, mix.next()));
                }
                produced.addAndGet(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds each vertex's busy and back-pressured milliseconds per second (averaged over its
     * subtasks) to its running sums; the third element counts the samples.
     */
    private static void sampleLoad(String jobId, Map<String, double[]> load) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + REST_PORT + "/jobs/" + jobId;
        for (JsonNode vertex : get(http, base).path("vertices")) {
            JsonNode metrics =
                    get(
                            http,
                            base
                                    + "/vertices/"
                                    + vertex.path("id").asText()
                                    + "/subtasks/metrics?get=busyTimeMsPerSecond,backPressuredTimeMsPerSecond");
            double[] sums = load.computeIfAbsent(vertex.path("name").asText(), k -> new double[3]);
            for (JsonNode metric : metrics) {
                int index = metric.path("id").asText().startsWith("busy") ? 0 : 1;
                sums[index] += metric.path("avg").asDouble();
            }
            sums[2]++;
        }
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        return Json.parse(
                http.send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    /** Teams 100…119 of the seeded organization, each with the four plugins in chain order. */
    private static void installTeamsAndPlugins(Settings settings, Path corpus) throws Exception {
        try (PostgresClient postgres = new PostgresClient(settings.postgres())) {
            postgres.execute(
                    c -> {
                        try (PreparedStatement teams =
                                c.prepareStatement(
                                        "INSERT INTO posthog_team (id, organization_id, name, api_token)"
                                                + " SELECT g, (SELECT organization_id FROM posthog_team WHERE id = 2),"
                                                + " 'Bench ' || g, 'phc_bench_' || g FROM generate_series(?, ?) g")) {
                            teams.setLong(1, IngestionMix.FIRST_TEAM);
                            teams.setLong(2, IngestionMix.FIRST_TEAM + IngestionMix.TEAMS - 1);
                            teams.executeUpdate();
                        }
                        int order = 1;
                        for (Map.Entry<String, String> plugin : PLUGINS.entrySet()) {
                            try (PreparedStatement s =
                                    c.prepareStatement(
                                            "WITH plugin AS (INSERT INTO posthog_plugin (organization_id, plugin_type, name, url)"
                                                    + " SELECT organization_id, 'local', ?, ? FROM posthog_team WHERE id = 2 RETURNING id)"
                                                    + " INSERT INTO posthog_pluginconfig (team_id, plugin_id, enabled, \"order\", config)"
                                                    + " SELECT g, plugin.id, true, ?, ?::jsonb FROM plugin, generate_series(?, ?) g")) {
                                s.setString(1, plugin.getKey());
                                s.setString(2, "file:" + corpus.resolve(plugin.getKey()));
                                s.setInt(3, order++);
                                s.setString(4, plugin.getValue());
                                s.setLong(5, IngestionMix.FIRST_TEAM);
                                s.setLong(6, IngestionMix.FIRST_TEAM + IngestionMix.TEAMS - 1);
                                s.executeUpdate();
                            }
                        }
                        return null;
                    });
        }
    }
}
