package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.PendingJob;
import com.posthog.flink.plugin.PluginHost;
import com.posthog.flink.plugin.PluginHost.JobOutcome;
import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.runtime.PluginLimits;
import com.posthog.flink.plugin.runtime.PluginVm;
import com.posthog.flink.plugin.services.MemoryPluginCache;
import com.posthog.flink.plugin.services.MemoryPluginStorage;
import com.posthog.flink.plugin.services.PluginCache;
import com.posthog.flink.plugin.services.PluginStorage;
import com.posthog.flink.plugin.services.PostgresPluginStorage;
import com.posthog.flink.plugin.services.RedisPluginCache;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One run of {@code scripts/plugin-run} (CONTRACTS.md): sets the plugins up, calls the hook that
 * {@code --invoke} names once per input line (or tick), writes a line per call, then runs the jobs
 * and retries due on the simulated clock, tears the plugins down, and dumps their state.
 *
 * <p>Exit codes: 0 done, 1 a usage mistake, 2 a plugin failed to load or set up, 3 a bad input
 * line.
 */
public final class Harness {

    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int SETUP_FAILED = 2;
    public static final int BAD_LINE = 3;

    /** A bound on the jobs run at the end, for a plugin whose job enqueues itself forever. */
    private static final int MAX_END_JOBS = 1000;

    /** {@code SCHEDULED_TASK_TIMEOUT}'s default: schedules, jobs and exports. */
    private static final Duration SCHEDULED_TIMEOUT =
            Duration.ofMillis(
                    (long)
                            (Settings.parseFloat(
                                            PluginServerOptions.SCHEDULED_TASK_TIMEOUT
                                                    .defaultValue())
                                    * 1000));

    /** What one input line does; {@code index} counts the non-blank lines from 0. */
    @FunctionalInterface
    private interface LineAction {
        void run(JsonNode line, int index) throws Exception;
    }

    private final Arguments args;
    private final PrintStream out;
    private final PrintStream err;
    private final PhaseRecorder recorder;
    private final HarnessContext context;
    private final PluginHost host;
    private final List<PendingJob> pending = new ArrayList<>();
    private int jobs;

    private Harness(
            Arguments args,
            PluginConfigs configs,
            GeoIp geoIp,
            FetchRoutes routes,
            FetchLog fetchLog,
            PrintStream out,
            PrintStream err,
            PluginStorage storage,
            PluginCache cache) {
        this.args = args;
        this.out = out;
        this.err = err;
        this.recorder = new PhaseRecorder(configId -> PluginRows.label(configs, configId));
        this.context =
                new HarnessContext(
                        configs,
                        recorder,
                        err,
                        geoIp,
                        routes,
                        fetchLog,
                        storage,
                        cache == null ? new MemoryPluginCache(recorder::time) : cache);
        this.host = host(args, configs, context, recorder::time, recorder);
    }

    private static PluginHost host(
            Arguments args,
            PluginConfigs configs,
            HarnessContext context,
            java.util.function.LongSupplier clock,
            PluginHost.Listener listener) {
        return new PluginHost(
                configs,
                "",
                new PluginLimits(args.timeout(), PluginLimits.DEFAULTS.memoryLimitBytes()),
                args.plugins().size(),
                context,
                clock,
                listener);
    }

    /** The team whose chain the plugins of a run form. */
    public static final long TEAM = PluginRows.TEAM;

    /**
     * A host over the plugins of {@code args} as {@code plugin-run} makes it, state in memory, for
     * {@code scripts/bench plugins}: no phases (the clock is the real one, the records of one phase
     * that never ends are not read) and no listener, as in the job.
     */
    public static PluginHost benchHost(Arguments args, PrintStream err) throws Exception {
        PluginConfigs configs = PluginRows.of(args.plugins());
        PhaseRecorder recorder = new PhaseRecorder(id -> PluginRows.label(configs, id));
        recorder.start("bench", System.currentTimeMillis());
        HarnessContext context =
                new HarnessContext(
                        configs,
                        recorder,
                        err,
                        args.mmdb() == null ? null : GeoIp.open(args.mmdb()),
                        null,
                        null,
                        new MemoryPluginStorage(),
                        new MemoryPluginCache(System::currentTimeMillis));
        return host(args, configs, context, System::currentTimeMillis, PluginHost.Listener.NONE);
    }

    /**
     * Runs the plugins of {@code args} over the input.
     *
     * @return the exit code
     * @throws Exception when a service the run needs fails (exit 1)
     */
    public static int run(Arguments args, InputStream in, PrintStream out, PrintStream err)
            throws Exception {
        FetchRoutes routes;
        try {
            routes = args.fetchMock() == null ? null : FetchRoutes.read(args.fetchMock());
        } catch (IllegalArgumentException e) {
            err.println("plugin-run: " + e.getMessage());
            return USAGE;
        }
        PluginConfigs configs;
        GeoIp geoIp;
        try {
            configs = PluginRows.of(args.plugins());
            geoIp = args.mmdb() == null ? null : GeoIp.open(args.mmdb());
        } catch (Exception e) {
            return setupFailed(args, out, err, "Error", e.getMessage(), e.getMessage());
        }
        try (FetchLog fetchLog = args.fetchLog() == null ? null : new FetchLog(args.fetchLog());
                PostgresClient postgres =
                        args.database() == null
                                ? null
                                : new PostgresClient(
                                        Settings.PostgresConnection.fromUrl(args.database()));
                RedisPluginCache redis =
                        args.redis() == null ? null : new RedisPluginCache(args.redis())) {
            if (postgres != null) {
                String missing = missingConfigs(postgres, args.plugins().size());
                if (missing != null) {
                    err.println("plugin-run: " + missing);
                    return USAGE;
                }
            }
            Harness harness =
                    new Harness(
                            args,
                            configs,
                            geoIp,
                            routes,
                            fetchLog,
                            out,
                            err,
                            postgres == null
                                    ? new MemoryPluginStorage()
                                    : new PostgresPluginStorage(postgres),
                            redis);
            try {
                return harness.run(in);
            } finally {
                harness.host.close();
            }
        }
    }

    /**
     * Plugin k keeps its storage under plugin config id k (CONTRACTS.md), which {@code
     * posthog_pluginstorage} requires to exist in {@code posthog_pluginconfig}.
     *
     * @return what to fix, or null when configs 1…plugins exist
     */
    private static String missingConfigs(PostgresClient postgres, int plugins) throws Exception {
        List<Long> missing =
                postgres.execute(
                        c -> {
                            List<Long> ids = new ArrayList<>();
                            try (java.sql.PreparedStatement s =
                                    c.prepareStatement(
                                            "SELECT k FROM generate_series(1, ?) k"
                                                    + " WHERE NOT EXISTS (SELECT 1 FROM posthog_pluginconfig WHERE id = k)")) {
                                s.setInt(1, plugins);
                                try (java.sql.ResultSet rows = s.executeQuery()) {
                                    while (rows.next()) {
                                        ids.add(rows.getLong(1));
                                    }
                                }
                            }
                            return ids;
                        });
        return missing.isEmpty()
                ? null
                : "--database keeps plugin k's storage under plugin config id k, and that database"
                        + " has no posthog_pluginconfig row "
                        + missing
                        + ": use a database where those configs exist.";
    }

    private int run(InputStream in) throws Exception {
        long setupTime = now();
        recorder.start("setup", setupTime);
        List<String> failures = host.setUp(PluginRows.TEAM);
        if (!failures.isEmpty()) {
            ObjectNode error = firstRecordedError();
            return setupFailed(
                    args,
                    out,
                    err,
                    error == null ? "Error" : error.path("name").asText("Error"),
                    error == null ? failures.get(0) : error.path("message").asText(),
                    failures.get(0));
        }
        if (!anyPluginExports()) {
            err.println("plugin-run: no plugin exports " + args.invoke().method() + ".");
            return USAGE;
        }
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean ok =
                switch (args.invoke().hook()) {
                    case PROCESS_EVENT, ON_EVENT, ON_SNAPSHOT -> events(reader);
                    case PROCESS_EVENT_BATCH -> batch(reader);
                    case EXPORT_EVENTS ->
                            eachLine(
                                    reader,
                                    "a JSON array (a batch of events)",
                                    JsonNode::isArray,
                                    this::export);
                    case RUN_EVERY_MINUTE, RUN_EVERY_HOUR, RUN_EVERY_DAY -> ticks(setupTime);
                    case JOB -> eachLine(reader, "JSON (a job payload)", line -> true, this::job);
                };
        if (!ok) {
            return BAD_LINE;
        }
        finish();
        return OK;
    }

    /** Each event through the {@code processEvent} chain, then {@code onEvent} if asked. */
    private boolean events(BufferedReader reader) throws Exception {
        boolean onEvent = args.invoke().hook() != Arguments.Hook.PROCESS_EVENT;
        return eachLine(
                reader,
                "a JSON object (an event)",
                JsonNode::isObject,
                (line, i) -> {
                    recorder.start("event " + i, now());
                    ObjectNode processed = host.processEvent(PluginRows.TEAM, (ObjectNode) line);
                    JsonNode result = null;
                    if (onEvent && processed != null) {
                        host.onEvent(PluginRows.TEAM, processed);
                        boolean snapshot = "$snapshot".equals(processed.path("event").asText());
                        result = recorder.result(snapshot ? "onSnapshot" : "onEvent");
                    }
                    write(processed, processed, result);
                });
    }

    /** All lines as one batch to {@code processEventBatch}: one line for the run. */
    private boolean batch(BufferedReader reader) throws Exception {
        var batch = Json.MAPPER.createArrayNode();
        if (!eachLine(
                reader,
                "a JSON object (an event)",
                JsonNode::isObject,
                (line, i) -> batch.add(line))) {
            return false;
        }
        recorder.start("batch 0", now());
        JsonNode returned = host.processEventBatch(PluginRows.TEAM, batch);
        write(returned, null, returned);
        return true;
    }

    /** A batch to every plugin's {@code exportEvents}; a {@code RetryError} is retried later. */
    private void export(JsonNode batch, int index) throws Exception {
        recorder.start("batch " + index, now());
        String json = Json.write(batch);
        for (long k = 1; k <= args.plugins().size(); k++) {
            run(new PendingJob(null, k, PendingJob.EXPORT, json, recorder.time()));
        }
        outcome();
    }

    /** Tick k at the setup time + k periods. */
    private boolean ticks(long setupTime) throws Exception {
        for (int tick = 0; tick < args.ticks(); tick++) {
            long time = setupTime + tick * period(args.invoke().hook());
            recorder.start("tick " + tick, time);
            host.runScheduled(PluginRows.TEAM, args.invoke().method(), time, SCHEDULED_TIMEOUT);
            outcome();
            collectJobs();
        }
        return true;
    }

    /** A payload for the job {@code --invoke} names, in every plugin that has it. */
    private void job(JsonNode payload, int index) throws Exception {
        recorder.start("job " + jobs++, now());
        String json = Json.write(payload);
        for (long k = 1; k <= args.plugins().size(); k++) {
            PluginVm vm = host.loaded(k);
            if (vm != null && vm.jobNames().contains(args.invoke().job())) {
                run(new PendingJob(null, k, args.invoke().job(), json, recorder.time()));
            }
        }
        outcome();
    }

    /**
     * Runs the action on each non-blank line, numbered from 0; a line that is not JSON or fails
     * {@code valid} stops the run with a sentence naming its line number.
     */
    private boolean eachLine(
            BufferedReader reader, String expected, Predicate<JsonNode> valid, LineAction action)
            throws Exception {
        int lineNumber = 0;
        int index = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            lineNumber++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode line = JsonText.parse(text);
            if (line == null || !valid.test(line)) {
                err.println("plugin-run: line " + lineNumber + " is not " + expected + ".");
                return false;
            }
            action.run(line, index++);
            collectJobs();
        }
        return true;
    }

    /** The line of a phase that ran a non-event hook: {@code true} or the first error's message. */
    private void outcome() {
        ObjectNode error = recorder.firstError();
        write(
                error == null
                        ? Json.MAPPER.getNodeFactory().booleanNode(true)
                        : error.get("message"),
                null,
                recorder.result(args.invoke().method()));
    }

    /** The default line, or the phase's report line with {@code --format report}. */
    private void write(JsonNode defaultLine, JsonNode event, JsonNode result) {
        out.println(
                Json.write(
                        args.report()
                                ? recorder.report(event, result, args.plugins().size() > 1)
                                : defaultLine == null
                                        ? Json.MAPPER.getNodeFactory().nullNode()
                                        : defaultLine));
    }

    /**
     * The end of input: the jobs and retries due on the simulated clock, the teardown, then the
     * retries of the teardown's own work; then {@code --dump-state}.
     */
    private void finish() throws Exception {
        long clock = recorder.time();
        runDue(clock);
        recorder.start("teardown", clock);
        host.teardown();
        collectJobs();
        runDue(clock);
        if (!pending.isEmpty()) {
            err.println(
                    "plugin-run: "
                            + pending.size()
                            + " job(s) or retries due after "
                            + Instant.ofEpochMilli(clock)
                            + " were not run.");
        }
        if (args.dumpState() != null) {
            StateDump.write(args.dumpState(), host, context, args.plugins().size());
        }
    }

    private void runDue(long clock) throws Exception {
        for (int run = 0; run < MAX_END_JOBS; run++) {
            PendingJob next =
                    pending.stream()
                            .filter(job -> job.runAt <= clock)
                            .min(Comparator.comparingLong(job -> job.runAt))
                            .orElse(null);
            if (next == null) {
                return;
            }
            pending.remove(next);
            recorder.start("job " + jobs++, clock);
            run(next);
            collectJobs();
        }
        err.println("plugin-run: stopped after " + MAX_END_JOBS + " jobs at the end of input.");
    }

    /** Runs a job or an export; a {@code RetryError} waits for its retry, as in the job. */
    private void run(PendingJob job) throws Exception {
        if (host.run(job, SCHEDULED_TIMEOUT) != JobOutcome.RETRY) {
            return;
        }
        if (job.retryLater(recorder.time())) {
            pending.add(job);
        } else {
            err.println(
                    "plugin-run: "
                            + PluginRows.label(context.configs(), job.configId)
                            + " gave up "
                            + job.name
                            + " after "
                            + job.retries
                            + " retries.");
        }
    }

    /** The jobs the plugins enqueued ({@code runNow}, {@code runIn}, {@code runAt}). */
    private void collectJobs() {
        for (PluginHost.JobRequest request : host.drainJobRequests()) {
            pending.add(
                    new PendingJob(
                            null,
                            request.configId(),
                            request.name(),
                            request.payloadJson(),
                            request.runAt()));
        }
    }

    private boolean anyPluginExports() throws Exception {
        Arguments.Invoke invoke = args.invoke();
        Set<String> methods =
                switch (invoke.hook()) {
                    case PROCESS_EVENT -> null;
                    case ON_EVENT, ON_SNAPSHOT -> Set.of("onEvent", "onSnapshot");
                    default -> Set.of(invoke.hook().method);
                };
        if (methods == null) {
            return true;
        }
        for (long k = 1; k <= args.plugins().size(); k++) {
            PluginVm vm = host.loaded(k);
            if (invoke.hook() == Arguments.Hook.JOB
                    ? vm.jobNames().contains(invoke.job())
                    : vm.methods().stream().anyMatch(methods::contains)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode firstRecordedError() {
        for (long k = 1; k <= args.plugins().size(); k++) {
            if (context.error(k) != null) {
                return context.error(k);
            }
        }
        return null;
    }

    /** Exit 2; with {@code --format report}, also the single {@code setup_error} line. */
    private static int setupFailed(
            Arguments args,
            PrintStream out,
            PrintStream err,
            String name,
            String message,
            String detail) {
        if (args.report()) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.putObject("setup_error").put("name", name).put("message", message);
            out.println(Json.write(line));
        }
        err.println("plugin-run: the plugin failed to load: " + detail);
        return SETUP_FAILED;
    }

    private static long period(Arguments.Hook hook) {
        return switch (hook) {
            case RUN_EVERY_MINUTE -> 60_000L;
            case RUN_EVERY_HOUR -> 3_600_000L;
            default -> 86_400_000L;
        };
    }

    /** {@code --now}, or the current time. */
    private long now() {
        return args.now() != null ? args.now().toEpochMilli() : System.currentTimeMillis();
    }
}
