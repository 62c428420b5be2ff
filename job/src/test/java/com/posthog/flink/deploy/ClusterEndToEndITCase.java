package com.posthog.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.corpus.PluginCorpus;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real standalone Flink cluster ({@code scripts/flink-cluster}), submitted with
 * {@code scripts/submit} and upgraded with {@code scripts/upgrade}, as a user would: a real plugin
 * (taxonomy, from npm) and the ledger fixture (a job per event, an export of every event, each
 * counted in {@code meta.storage}) are configured in Postgres; events go through Kafka into
 * ClickHouse and Postgres; the job is stopped with a savepoint while every job and the whole export
 * buffer are pending, and the new job, started from the savepoint, runs each job and exports each
 * event exactly once, and each minute's {@code runEveryMinute} ran once, also for a team that sends
 * no events. The per-plugin metrics read from the REST API and the Prometheus endpoint count the
 * events sent.
 */
class ClusterEndToEndITCase {

    private static final String WEB = "http://localhost:8081";
    private static final int BATCH = 20;
    private static final int USERS = 10;
    private static final int JOB_DELAY_SECONDS = 60;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestServices services = TestServices.fromEnvironment();
    private final Path root = TestServices.repoRoot();
    private final List<String> jobs = new ArrayList<>();
    private boolean startedCluster;

    @AfterEach
    void cleanUp() throws Exception {
        for (String job : jobs) {
            if ("RUNNING".equals(jobState(job))) {
                http.send(
                        HttpRequest.newBuilder(URI.create(WEB + "/jobs/" + job + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
        if (startedCluster) {
            script(Map.of(), "scripts/flink-cluster", "down");
        }
    }

    @Test
    void aSavepointUpgradeOnTheClusterLosesAndRepeatsNothing() throws Exception {
        services.freshDatabases();
        long taxonomy =
                services.installPlugin(
                        "Taxonomy",
                        "file:" + PluginCorpus.folder(PluginCorpus.TAXONOMY),
                        1,
                        "{\"defaultNamingConvention\":\"snake_case\"}");
        long ledger =
                services.installPlugin(
                        "Ledger",
                        "file:udf-plugins/fixtures/ledger",
                        2,
                        "{\"jobDelaySeconds\":\""
                                + JOB_DELAY_SECONDS
                                + "\",\"exportEventsBufferSeconds\":\"600\"}");
        // Team 3 sends no events: its schedule runs from the keyed control stream alone.
        long quietLedger =
                services.installPlugin(3, "Ledger", "file:udf-plugins/fixtures/ledger", 1, "{}");
        String topic = services.newTopic("e2e", 2);
        Map<String, String> jobEnvironment = jobEnvironment(topic);
        Path jar = root.resolve("job/target/plugin-server-job-0.1.0-SNAPSHOT.jar");
        assertThat(jar).as("the job jar (mvn package builds it)").exists();

        startedCluster = !script(Map.of(), "scripts/flink-cluster", "status").ok();
        if (startedCluster) {
            script(Map.of(), "scripts/flink-cluster", "up", "--interpreted").orFail();
        }
        Result submitted =
                script(jobEnvironment, "scripts/submit", "--jar", jar.toString()).orFail();
        String oldJob = field(submitted.stdout, "job_id");
        jobs.add(oldJob);
        assertThat(field(submitted.stdout, "web_ui")).endsWith(oldJob + "/overview");
        awaitRunning(oldJob);

        services.produce(topic, batch(0));
        awaitEventsInClickHouse(BATCH);
        assertThat(ledgerCount(ledger, "job:") + ledgerCount(ledger, "export:"))
                .as("jobs and exports still pending before the savepoint")
                .isZero();

        Result upgraded =
                script(jobEnvironment, "scripts/upgrade", "--jar", jar.toString()).orFail();
        assertThat(field(upgraded.stdout, "old_job_id")).isEqualTo(oldJob);
        assertThat(Path.of(URI.create(field(upgraded.stdout, "savepoint")))).isDirectory();
        String newJob = field(upgraded.stdout, "new_job_id");
        jobs.add(newJob);
        assertThat(jobState(oldJob)).isEqualTo("FINISHED");
        awaitRunning(newJob);
        assertThat(ledgerCount(ledger, "job:"))
                .as("the jobs were still pending when the new job started from the savepoint")
                .isZero();

        services.produce(topic, batch(BATCH));
        awaitEventsInClickHouse(2 * BATCH);
        Result health = script(jobEnvironment, "scripts/plugin-server", "--healthcheck");
        assertThat(health.exitCode()).as(health.stdout() + health.stderr()).isZero();
        assertThat(health.stdout()).startsWith("healthy");
        TestServices.await(
                "every job of both batches to run",
                Duration.ofSeconds(JOB_DELAY_SECONDS + 90),
                () -> ledgerCount(ledger, "job:") == 2 * BATCH);

        TestServices.await(
                "the taxonomy plugin's invocations of the new job in the REST API",
                Duration.ofSeconds(60),
                () -> pluginMetric(newJob, taxonomy, "invocations") == BATCH);
        assertThat(prometheusPluginInvocations(newJob, taxonomy))
                .as("the taxonomy plugin's invocations on the TaskManager's Prometheus endpoint")
                .isEqualTo(BATCH);
        assertThat(pluginMetric(newJob, taxonomy, "errors")).isZero();
        assertThat(pluginMetric(newJob, ledger, "errors")).isZero();

        // Stopping with --drain ends the input: the plugin stage flushes every export buffer,
        // including the events buffered before the savepoint.
        stopWithDrain(newJob);
        for (String prefix : List.of("job:", "export:")) {
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_pluginstorage WHERE plugin_config_id = "
                                            + ledger
                                            + " AND key LIKE '"
                                            + prefix
                                            + "%' AND value = '1'"))
                    .as(prefix + " entries counted exactly once")
                    .isEqualTo(2L * BATCH);
            for (String uuid : List.of(uuid(0), uuid(2 * BATCH - 1))) {
                assertThat(
                                services.postgresValue(
                                        "SELECT value FROM posthog_pluginstorage WHERE key = '"
                                                + prefix
                                                + uuid
                                                + "'"))
                        .isEqualTo("1");
            }
        }
        // runEveryMinute: the job ran for over a minute with two subtasks and an upgrade between;
        // each minute ticked once, for the team with events and for the one without.
        for (long config : List.of(ledger, quietLedger)) {
            assertThat(ledgerCount(config, "tick:")).as("ticks of config " + config).isPositive();
            assertThat(
                            services.postgresCount(
                                    "SELECT count(*) FROM posthog_pluginstorage WHERE plugin_config_id = "
                                            + config
                                            + " AND key LIKE 'tick:%' AND value <> '1'"))
                    .as("minute ticks of config " + config + " that ran more than once")
                    .isZero();
        }
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM events WHERE event = 'order_completed'"))
                .as("events in ClickHouse, renamed by the taxonomy plugin, none twice")
                .isEqualTo(2L * BATCH);
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_person WHERE team_id = 2"))
                .isEqualTo(USERS);
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_persondistinctid WHERE team_id = 2"))
                .isEqualTo(USERS);
    }

    private static String uuid(int n) {
        return UUID.nameUUIDFromBytes(("e2e-" + n).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** One batch of events, numbered from {@code from}, by {@link #USERS} users. */
    private static List<String> batch(int from) {
        List<String> messages = new ArrayList<>();
        for (int n = from; n < from + BATCH; n++) {
            messages.add(Messages.event(uuid(n), "user-" + (n % USERS), 2, "orderCompleted"));
        }
        return messages;
    }

    /** The job's settings for scripts/submit: the tests' databases, this test's topic. */
    private Map<String, String> jobEnvironment(String topic) {
        Map<String, String> env = new HashMap<>(services.environment());
        env.put("DATABASE_URL", services.postgres().toString());
        env.put("CLICKHOUSE_DATABASE", TestServices.DATABASE);
        env.put("REDIS_URL", services.environment().get("REDIS_URL") + "/" + TestServices.REDIS_DB);
        env.put("KAFKA_CONSUMPTION_TOPIC", topic);
        env.put("KAFKA_DEAD_LETTER_TOPIC", topic + "_dead_letters");
        env.put("KAFKA_CONSUMER_GROUP", "it-" + topic);
        env.put("KAFKA_ENABLED", "true");
        env.put("BASE_DIR", root.toString());
        env.put("CHECKPOINT_INTERVAL_SECONDS", "2");
        return env;
    }

    private void awaitEventsInClickHouse(long expected) throws Exception {
        TestServices.await(
                expected + " events in ClickHouse",
                Duration.ofSeconds(120),
                () ->
                        services.clickHouseCount(
                                        "SELECT count() FROM events FINAL WHERE team_id = 2")
                                >= expected);
    }

    private long ledgerCount(long configId, String prefix) throws Exception {
        return services.postgresCount(
                "SELECT count(*) FROM posthog_pluginstorage WHERE plugin_config_id = "
                        + configId
                        + " AND key LIKE '"
                        + prefix
                        + "%'");
    }

    private void awaitRunning(String job) throws Exception {
        TestServices.await(
                "job " + job + " and all its tasks running",
                Duration.ofSeconds(120),
                () -> {
                    JsonNode overview = get("/jobs/" + job);
                    if (!"RUNNING".equals(overview.path("state").asText())) {
                        return false;
                    }
                    for (JsonNode vertex : overview.path("vertices")) {
                        if (!"RUNNING".equals(vertex.path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private String jobState(String job) throws Exception {
        return get("/jobs/" + job).path("state").asText();
    }

    private void stopWithDrain(String job) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(WEB + "/jobs/" + job + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"drain\":true}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        TestServices.await(
                "job " + job + " to finish after a stop with --drain",
                Duration.ofSeconds(120),
                () -> "FINISHED".equals(jobState(job)));
    }

    /**
     * The sum over subtasks of a per-plugin metric ({@code plugin.<config id>.<name>}) of the
     * vertex that runs the plugin stage; -1 while the web UI does not list it yet.
     */
    private long pluginMetric(String job, long configId, String name) throws Exception {
        String suffix = "plugin." + configId + "." + name;
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
            for (JsonNode metric : get(path + "/subtasks/metrics")) {
                String id = metric.path("id").asText();
                if (id.endsWith(suffix)) {
                    JsonNode values = get(path + "/subtasks/metrics?get=" + id);
                    return values.path(0).path("sum").isMissingNode()
                            ? -1
                            : Math.round(values.path(0).path("sum").asDouble());
                }
            }
        }
        return -1;
    }

    /** The sum over subtasks of {@code invocations} of a plugin config, from port 9249. */
    private long prometheusPluginInvocations(String job, long configId) throws Exception {
        String text =
                http.send(
                                HttpRequest.newBuilder(URI.create("http://localhost:9249/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return Math.round(
                text.lines()
                        .filter(
                                line ->
                                        line.startsWith(
                                                "flink_taskmanager_job_task_operator_plugin_invocations{"))
                        .filter(line -> line.contains("job_id=\"" + job + "\""))
                        .filter(line -> line.contains("plugin=\"" + configId + "\""))
                        .mapToDouble(
                                line ->
                                        Double.parseDouble(
                                                line.substring(line.lastIndexOf(' ') + 1)))
                        .sum());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(WEB + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return Json.parse(response.body());
    }

    /** {@code key=value} from a script's output. */
    private static String field(String output, String key) {
        Matcher matcher = Pattern.compile("(?:^|\\s)" + key + "=(\\S+)").matcher(output);
        assertThat(matcher.find()).as(key + "= in:\n" + output).isTrue();
        return matcher.group(1);
    }

    private record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        Result orFail() {
            assertThat(exitCode)
                    .as("exit code; stdout:\n" + stdout + "\nstderr:\n" + stderr)
                    .isZero();
            return this;
        }
    }

    private Result script(Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile("e2e", ".out");
        Path err = Files.createTempFile("e2e", ".err");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(root.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        if (!env.isEmpty()) {
            builder.environment().putAll(env);
        }
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " ran over 5 minutes");
        }
        Result result =
                new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
