package com.posthog.flink.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.loading.PluginConfigsLoader;
import com.posthog.flink.plugin.runtime.PluginLimits;
import com.posthog.flink.plugin.services.EventHistory;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.plugin.services.PostgresPluginStorage;
import com.posthog.flink.plugin.services.RedisPluginCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin stage, keyed by team: runs each team's {@code processEvent} chain in GraalJS ({@link
 * PluginHost}; {@code $snapshot} events skip it), emits the event, then gives it to the team's
 * {@code onEvent} (or {@code onSnapshot}) plugins. Plugin log entries and captured events leave
 * through side outputs. Plugin configs are read from Postgres when the stage opens.
 */
public class PluginStage extends KeyedProcessFunction<Long, PipelineEvent, PipelineEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PluginStage.class);

    /** The team's next schedule tick (epoch ms), or empty when none is set. */
    static final ValueStateDescriptor<Long> NEXT_TICK =
            new ValueStateDescriptor<>("next-schedule-tick", Types.LONG);

    /** The team's pending plugin jobs by id. */
    static final MapStateDescriptor<String, PendingJob> JOBS =
            new MapStateDescriptor<>(
                    "pending-plugin-jobs", Types.STRING, TypeInformation.of(PendingJob.class));

    /** Export buffers by plugin config id, and their events by {@code "<config id>:<sequence>"}. */
    static final MapStateDescriptor<Long, ExportBuffer> EXPORT_BUFFERS =
            new MapStateDescriptor<>(
                    "export-buffers", Types.LONG, TypeInformation.of(ExportBuffer.class));

    static final MapStateDescriptor<String, String> EXPORT_EVENTS =
            new MapStateDescriptor<>("export-buffer-events", Types.STRING, Types.STRING);

    /** A full reload of the plugin configs runs at least this often. */
    static final long FULL_RELOAD_MILLIS = 5 * 60_000;

    private final Settings settings;

    private transient PostgresClient postgres;
    private transient RedisPluginCache cache;
    private transient ClickHouseClient clickHouse;
    private transient GeoIp geoIp;
    private transient JobPluginContext context;
    private transient PluginHost host;
    private transient Counter eventsIn;
    private transient Counter eventsOut;
    private transient LongCounter dropped;
    private transient Map<Long, PluginMetrics> pluginMetrics;
    private transient ReloadListener reloads;
    private transient long loadedAt;
    private transient ValueState<Long> nextTick;
    private transient MapState<String, PendingJob> jobs;
    private transient MapState<Long, ExportBuffer> exportBuffers;
    private transient MapState<String, String> exportEvents;
    private transient Duration scheduledTimeout;

    public PluginStage(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        postgres = new PostgresClient(settings.postgres());
        cache = new RedisPluginCache(settings.redisUrl());
        PluginConfigs configs = PluginConfigsLoader.load(postgres);
        loadedAt = System.currentTimeMillis();
        reloads =
                new ReloadListener(
                        settings.redisUrl(),
                        settings.string(PluginServerOptions.PLUGINS_RELOAD_PUBSUB_CHANNEL));
        geoIp = openGeoIp();
        EventHistory history;
        if (settings.bool(PluginServerOptions.KAFKA_ENABLED)) {
            clickHouse = ClickHouseClient.fromSettings(settings);
            history = EventHistory.clickHouse(clickHouse);
        } else {
            history = EventHistory.postgres(postgres);
        }
        context =
                new JobPluginContext(
                        postgres,
                        configs,
                        new PostgresPluginStorage(postgres),
                        cache,
                        geoIp,
                        history,
                        configId -> metrics(configId).disabled = true);
        PluginLimits limits =
                new PluginLimits(
                        Duration.ofMillis(
                                (long) (settings.number(PluginServerOptions.TASK_TIMEOUT) * 1000)),
                        (long) settings.number(PluginServerOptions.PLUGIN_MEMORY_LIMIT_MB)
                                * 1024
                                * 1024);
        pluginMetrics = new HashMap<>();
        host =
                new PluginHost(
                        configs,
                        settings.string(PluginServerOptions.BASE_DIR),
                        limits,
                        settings.integer(PluginServerOptions.MAX_PLUGIN_CONTEXTS),
                        context,
                        System::currentTimeMillis,
                        new PluginHost.Listener() {
                            @Override
                            public void called(
                                    long configId, String method, long duration, boolean failed) {
                                metrics(configId).called(duration, failed);
                            }

                            @Override
                            public void dropped(long configId) {
                                metrics(configId).dropped.inc();
                            }
                        });
        nextTick = getRuntimeContext().getState(NEXT_TICK);
        jobs = getRuntimeContext().getMapState(JOBS);
        exportBuffers = getRuntimeContext().getMapState(EXPORT_BUFFERS);
        exportEvents = getRuntimeContext().getMapState(EXPORT_EVENTS);
        scheduledTimeout =
                Duration.ofMillis(
                        (long)
                                (settings.number(PluginServerOptions.SCHEDULED_TASK_TIMEOUT)
                                        * 1000));
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        eventsOut = getRuntimeContext().getMetricGroup().counter("eventsOut");
        dropped = getRuntimeContext().getLongCounter(Outputs.DROPPED);
    }

    @Override
    public void processElement(PipelineEvent event, Context ctx, Collector<PipelineEvent> out)
            throws Exception {
        reloadIfDue(ctx.timerService().currentProcessingTime());
        scheduleIfNeeded(event.teamId, ctx.timerService());
        if (event.isControl()) {
            if (event.job != null) {
                startRequestedJob(event.teamId, event.job, ctx.timerService());
            }
            return;
        }
        eventsIn.inc();
        try {
            if (!host.hasPlugins(event.teamId)) {
                out.collect(event);
                eventsOut.inc();
                return;
            }
            ObjectNode body = Json.parseObject(event.body);
            JsonNode name = body.get("event");
            ObjectNode processed =
                    name != null && "$snapshot".equals(name.asText())
                            ? body
                            : host.processEvent(event.teamId, body);
            if (processed == null) {
                dropped.add(1);
                return;
            }
            // Emitted before onEvent runs (CONTRACTS.md): a slow onEvent never holds the event
            // back.
            out.collect(
                    new PipelineEvent(
                            event.teamId,
                            Json.write(processed),
                            event.rawPayload,
                            event.kafkaOffset));
            eventsOut.inc();
            host.onEvent(event.teamId, processed);
            if (name == null || !"$snapshot".equals(name.asText())) {
                bufferForExport(event.teamId, processed, ctx.timerService());
            }
        } finally {
            storeJobs(ctx.timerService());
            emitSideOutputs(ctx);
        }
    }

    /**
     * Adds the event to the export buffer of each of the team's {@code exportEvents} plugins (spec
     * §2.5): when it would push the buffer past its byte limit the buffer is flushed first; the
     * first event of a batch sets the timer that flushes it after {@code
     * exportEventsBufferSeconds}.
     */
    private void bufferForExport(long teamId, ObjectNode event, TimerService timers)
            throws Exception {
        JsonNode name = event.get("event");
        String eventName = name == null ? "" : name.asText();
        for (PluginHost.ExportTarget target : host.exportTargets(teamId)) {
            if (target.ignored().contains(eventName)) {
                continue;
            }
            String json = Json.write(event);
            ExportBuffer buffer = exportBuffers.get(target.configId());
            if (buffer != null && buffer.bytes + json.length() > target.bufferBytes()) {
                flush(target.configId(), buffer, timers);
                buffer = null;
            }
            if (buffer == null) {
                buffer = new ExportBuffer();
                // A fresh base per batch keeps the keys of consecutive batches apart.
                buffer.first = System.nanoTime();
                buffer.since = timers.currentProcessingTime();
                timers.registerProcessingTimeTimer(buffer.since + target.bufferMillis());
            }
            exportEvents.put(target.configId() + ":" + (buffer.first + buffer.count), json);
            buffer.count++;
            buffer.bytes += json.length();
            exportBuffers.put(target.configId(), buffer);
        }
    }

    /** Flushes the export buffers that have waited their {@code exportEventsBufferSeconds}. */
    private void flushDueExports(long teamId, long now, TimerService timers) throws Exception {
        for (PluginHost.ExportTarget target : host.exportTargets(teamId)) {
            ExportBuffer buffer = exportBuffers.get(target.configId());
            if (buffer != null && buffer.since + target.bufferMillis() <= now) {
                flush(target.configId(), buffer, timers);
            }
        }
    }

    /**
     * At the end of a bounded input (CONTRACTS.md, {@code --input-file}): the team's export buffers
     * go out now, since timers no longer fire; a batch that asks for a retry then is undelivered.
     */
    void flushExportsAtEndOfInput(Output<StreamRecord<PipelineEvent>> output) throws Exception {
        List<Map.Entry<Long, ExportBuffer>> buffers = new java.util.ArrayList<>();
        exportBuffers.entries().forEach(buffers::add);
        for (Map.Entry<Long, ExportBuffer> buffer : buffers) {
            flush(buffer.getKey(), buffer.getValue(), null);
        }
        context.logs.forEach(
                entry -> output.collect(Outputs.PLUGIN_LOGS, new StreamRecord<>(entry)));
        context.captured.forEach(
                message -> output.collect(Outputs.CAPTURED, new StreamRecord<>(message)));
        context.logs.clear();
        context.captured.clear();
    }

    /**
     * Hands the buffered batch to {@code exportEvents}; {@code RetryError} retries it as a job,
     * unless there are no timers any more ({@code timers} null: the input has ended).
     */
    private void flush(long configId, ExportBuffer buffer, TimerService timers) throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < buffer.count; i++) {
            String key = configId + ":" + (buffer.first + i);
            batch.append(i == 0 ? "" : ",").append(exportEvents.get(key));
            exportEvents.remove(key);
        }
        batch.append(']');
        exportBuffers.remove(configId);
        PluginHost.JobOutcome outcome =
                host.exportEvents(configId, batch.toString(), 0, timers != null, scheduledTimeout);
        if (outcome == PluginHost.JobOutcome.RETRY && timers == null) {
            LOG.warn(
                    "An export batch of plugin config {} asked for a retry after the end of the input: {} events undelivered",
                    configId,
                    buffer.count);
        } else if (outcome == PluginHost.JobOutcome.RETRY) {
            long now = timers.currentProcessingTime();
            PendingJob retry =
                    new PendingJob(
                            java.util.UUID.randomUUID().toString(),
                            configId,
                            PendingJob.EXPORT,
                            batch.toString(),
                            now);
            retry.retryLater(now);
            addJob(retry, timers);
        }
    }

    /** Keeps the jobs plugins enqueued in keyed state, each with a timer at its due time. */
    private void storeJobs(TimerService timers) throws Exception {
        for (PluginHost.JobRequest request : host.drainJobRequests()) {
            addJob(
                    new PendingJob(
                            java.util.UUID.randomUUID().toString(),
                            request.configId(),
                            request.name(),
                            request.payloadJson(),
                            request.runAt()),
                    timers);
        }
    }

    /**
     * A job the PostHog app started ({@link PipelineEvent#job}): due now, as with {@code runNow()},
     * if its plugin config is one of the team's configs in force; otherwise dropped.
     */
    private void startRequestedJob(long teamId, PendingJob job, TimerService timers)
            throws Exception {
        if (!host.hasConfig(teamId, job.configId)) {
            LOG.warn(
                    "Dropped the job {} the app started for plugin config {} of team {}: no such config in force",
                    job.name,
                    job.configId,
                    teamId);
            return;
        }
        job.runAt = timers.currentProcessingTime();
        addJob(job, timers);
    }

    private void addJob(PendingJob job, TimerService timers) throws Exception {
        jobs.put(job.id, job);
        timers.registerProcessingTimeTimer(job.runAt);
    }

    /**
     * Runs the team's jobs that are due. {@code RetryError} schedules retry n (1…15) after 3·2ⁿ s
     * (CONTRACTS.md), then the job is given up.
     */
    private void runDueJobs(long now, TimerService timers) throws Exception {
        List<PendingJob> due = new java.util.ArrayList<>();
        for (PendingJob job : jobs.values()) {
            if (job.runAt <= now) {
                due.add(job);
            }
        }
        due.sort(java.util.Comparator.comparingLong(job -> job.runAt));
        for (PendingJob job : due) {
            PluginHost.JobOutcome outcome = host.run(job, scheduledTimeout);
            if (outcome == PluginHost.JobOutcome.RETRY && job.retryLater(now)) {
                addJob(job, timers);
            } else {
                if (outcome == PluginHost.JobOutcome.RETRY) {
                    LOG.warn(
                            "Job {} of plugin config {} gave up after {} retries",
                            job.name,
                            job.configId,
                            job.retries);
                }
                jobs.remove(job.id);
            }
        }
    }

    /** The plugin log entries and captured events of the last call, to their side outputs. */
    private void emitSideOutputs(Context ctx) {
        for (PluginLogEntry entry : context.logs) {
            ctx.output(Outputs.PLUGIN_LOGS, entry);
        }
        for (KafkaMessage captured : context.captured) {
            ctx.output(Outputs.CAPTURED, captured);
        }
        context.logs.clear();
        context.captured.clear();
    }

    /**
     * Registers the team's next schedule tick once its plugins have scheduled tasks. The tick is
     * keyed state, so it survives restarts and a team never has two timers.
     */
    private void scheduleIfNeeded(long teamId, TimerService timers) throws Exception {
        if (nextTick.value() == null && host.hasScheduledTasks(teamId)) {
            long tick = Schedule.nextTick(timers.currentProcessingTime());
            timers.registerProcessingTimeTimer(tick);
            nextTick.update(tick);
        }
    }

    /**
     * A schedule tick: the team's due tasks run once each, then the next tick is set. After
     * downtime the overdue timer fires once, so a missed tick runs once, not once per missed tick.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PipelineEvent> out)
            throws Exception {
        long teamId = ctx.getCurrentKey();
        long now = Math.max(timestamp, ctx.timerService().currentProcessingTime());
        reloadIfDue(timestamp);
        Long tick = nextTick.value();
        try {
            if (tick != null && tick <= timestamp) {
                nextTick.clear();
                if (Schedule.metricsDue(tick, now)) {
                    host.sendMetrics(teamId, tick);
                }
                for (String task : Schedule.due(tick, now)) {
                    host.runScheduled(teamId, task, tick, scheduledTimeout);
                }
            }
            flushDueExports(teamId, now, ctx.timerService());
            runDueJobs(now, ctx.timerService());
        } finally {
            storeJobs(ctx.timerService());
            emitSideOutputs(ctx);
        }
        scheduleIfNeeded(teamId, ctx.timerService());
    }

    /**
     * Reads the plugin configs again when a reload was announced on Redis, or every five minutes so
     * that an announcement missed while Redis was away is caught up (CONTRACTS.md).
     */
    private void reloadIfDue(long now) throws Exception {
        if (reloads.takeRequest() || now - loadedAt >= FULL_RELOAD_MILLIS) {
            PluginConfigs fresh = PluginConfigsLoader.load(postgres);
            context.use(fresh);
            host.reload(fresh);
            loadedAt = now;
        }
    }

    /**
     * The MMDB of {@code MMDB_PATH} unless {@code DISABLE_MMDB}; when it cannot be opened the
     * plugins run without GeoIP ({@code locate} throws "not available"), as the original did when
     * its database was down.
     */
    private GeoIp openGeoIp() {
        String path = settings.string(PluginServerOptions.MMDB_PATH);
        if (settings.bool(PluginServerOptions.DISABLE_MMDB) || path.isBlank()) {
            return null;
        }
        try {
            return GeoIp.open(java.nio.file.Path.of(path));
        } catch (Exception e) {
            LOG.error("GeoIP is not available: cannot open MMDB_PATH {}: {}", path, e.getMessage());
            return null;
        }
    }

    private PluginMetrics metrics(long configId) {
        return pluginMetrics.computeIfAbsent(
                configId,
                id ->
                        new PluginMetrics(
                                getRuntimeContext()
                                        .getMetricGroup()
                                        .addGroup("plugin", Long.toString(id))));
    }

    @Override
    public void close() throws Exception {
        if (reloads != null) {
            reloads.close();
        }
        if (host != null) {
            host.teardown();
            host.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (geoIp != null) {
            geoIp.close();
        }
        if (clickHouse != null) {
            clickHouse.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The per-config metrics of CONTRACTS.md, group {@code plugin} → {@code <config id>}. */
    private static final class PluginMetrics {
        private final Counter invocations;
        private final Counter errors;
        private final Histogram durationMs;
        private final Counter dropped;
        private volatile boolean disabled;

        PluginMetrics(MetricGroup group) {
            invocations = group.counter("invocations");
            errors = group.counter("errors");
            durationMs = group.histogram("durationMs", new DescriptiveStatisticsHistogram(500));
            dropped = group.counter("dropped");
            group.gauge("disabled", () -> disabled ? 1 : 0);
        }

        void called(long duration, boolean failed) {
            invocations.inc();
            durationMs.update(duration);
            if (failed) {
                errors.inc();
            }
        }
    }
}
