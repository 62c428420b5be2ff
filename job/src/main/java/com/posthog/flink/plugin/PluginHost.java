package com.posthog.flink.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.ProcessEventChain.Call;
import com.posthog.flink.plugin.ProcessEventChain.Failure;
import com.posthog.flink.plugin.ProcessEventChain.Member;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.runtime.PluginCallException;
import com.posthog.flink.plugin.runtime.PluginLimits;
import com.posthog.flink.plugin.runtime.PluginVm;
import com.posthog.flink.plugin.services.PluginErrors;
import com.posthog.flink.plugin.services.PluginLogEntry.Source;
import com.posthog.flink.plugin.services.PluginLogEntry.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The plugins of one subtask: a context per plugin config, created lazily and bounded in number
 * (least recently used closed first), and the {@code processEvent} chain of each team. Plain Java:
 * the Flink stage and {@code plugin-run} both drive it.
 */
public final class PluginHost implements AutoCloseable {

    /** Per-config counters, read by the stage's metrics. */
    public interface Listener {
        void called(long configId, String method, long durationMillis, boolean failed);

        /** The config's {@code processEvent} dropped an event. */
        default void dropped(long configId) {}

        /**
         * A call returned (for {@code plugin-run}'s report).
         *
         * @param resultJson the return value as JSON, null for {@code undefined} or {@code null}
         */
        default void returned(long configId, String method, String resultJson) {}

        /** A call threw or rejected, {@code RetryError} included (for {@code plugin-run}). */
        default void failed(long configId, String method, String errorName, String message) {}

        Listener NONE = (configId, method, durationMillis, failed) -> {};
    }

    private PluginConfigs configs;

    /** Export settings by config id, parsed once per reload: they are read for every event. */
    private final Map<Long, ExportTarget> exportTargets = new java.util.HashMap<>();

    private final String baseDir;
    private final PluginLimits limits;
    private final PluginHostContext context;
    private final LongSupplier clock;
    private final Listener listener;
    private final Map<Long, PluginInstance> instances;

    public PluginHost(
            PluginConfigs configs,
            String baseDir,
            PluginLimits limits,
            int maxContexts,
            PluginHostContext context,
            LongSupplier clock,
            Listener listener) {
        this.configs = configs;
        this.baseDir = baseDir;
        this.limits = limits;
        this.context = context;
        this.clock = clock;
        this.listener = listener;
        this.instances =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Long, PluginInstance> eldest) {
                        if (size() > maxContexts) {
                            eldest.getValue().close();
                            return true;
                        }
                        return false;
                    }
                };
    }

    /**
     * Takes a fresh read of the plugin configs (spec §5): a config that is gone is dropped without
     * teardown, as in the original; one whose code, config or attachments changed is torn down and
     * loaded again on its next use; others keep their context (and {@code global}).
     */
    public void reload(PluginConfigs fresh) {
        for (java.util.Iterator<Map.Entry<Long, PluginInstance>> it =
                        instances.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, PluginInstance> entry = it.next();
            PluginInstance instance = entry.getValue();
            PluginConfigRow config = fresh.configs().get(entry.getKey());
            if (config == null || !config.enabled()) {
                instance.close();
                it.remove();
            } else if (!instance.runsTheSameAs(
                    config,
                    fresh.plugins().get(config.pluginId()),
                    configs.attachmentRows(config.id()),
                    fresh.attachmentRows(config.id()))) {
                instance.teardown(clock.getAsLong());
                instance.close();
                it.remove();
            }
        }
        configs = fresh;
        exportTargets.clear();
    }

    /** Whether any plugin of the team has one of these scheduled tasks. */
    public boolean hasScheduledTasks(long teamId) throws Exception {
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginVm vm = instance(config).vm(clock.getAsLong());
            if (vm != null
                    && (!vm.metrics().isEmpty()
                            || vm.methods().stream().anyMatch(m -> m.startsWith("runEvery")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a scheduled task ({@code runEveryMinute}, {@code runEveryHour} or {@code runEveryDay})
     * of every plugin of the team that has it, one after the other, each within {@code timeout}; a
     * failure is recorded like any plugin error.
     *
     * @param tick the time the tick was due, which names the phase (captured events' uuids)
     */
    public void runScheduled(long teamId, String method, long tick, java.time.Duration timeout)
            throws Exception {
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginInstance instance = instance(config);
            PluginVm vm = instance.vm(clock.getAsLong());
            if (vm == null || !vm.methods().contains(method)) {
                continue;
            }
            instance.startPhase(method + ":" + tick);
            try {
                measured(config.id(), method, () -> vm.call(method, timeout));
            } catch (PluginCallException e) {
                recordError(config, e.errorName(), e.getMessage(), null);
            }
        }
    }

    /** A job a plugin enqueued, due at {@code runAt} (epoch ms). */
    public record JobRequest(long configId, String name, String payloadJson, long runAt) {}

    /** How a job run ended. */
    public enum JobOutcome {
        DONE,
        /** The job threw {@code RetryError}: run it again later. */
        RETRY,
        /** It failed otherwise (logged to the plugin log), or its plugin is gone. */
        FAILED
    }

    /** The jobs enqueued by any plugin since the last call. */
    public List<JobRequest> drainJobRequests() {
        List<JobRequest> jobs = new ArrayList<>();
        long now = clock.getAsLong();
        for (PluginInstance instance : instances.values()) {
            jobs.addAll(instance.drainJobs(now));
        }
        return jobs;
    }

    /**
     * Runs a job of a plugin config with its payload (spec §4.2); any failure but {@code
     * RetryError} is written to the plugin's log.
     */
    public JobOutcome runJob(
            long configId, String name, String payloadJson, java.time.Duration timeout)
            throws Exception {
        PluginConfigRow config = configs.configs().get(configId);
        if (config == null) {
            return JobOutcome.FAILED;
        }
        PluginInstance instance = instance(config);
        PluginVm vm = instance.vm(clock.getAsLong());
        if (vm == null || !vm.jobNames().contains(name)) {
            return JobOutcome.FAILED;
        }
        instance.startPhase("job:" + name + ":" + payloadJson);
        try {
            measured(configId, "job:" + name, () -> vm.callJob(name, timeout, payloadJson));
            return JobOutcome.DONE;
        } catch (PluginCallException e) {
            if ("RetryError".equals(e.errorName())) {
                return JobOutcome.RETRY;
            }
            context.log(
                    config,
                    Source.PLUGIN,
                    Type.ERROR,
                    "Job " + name + " failed: " + e.getMessage());
            return JobOutcome.FAILED;
        }
    }

    /**
     * Runs a pending job: an export retry ({@link PendingJob#EXPORT}) through {@link
     * #exportEvents}, any other through {@link #runJob}.
     */
    public JobOutcome run(PendingJob job, java.time.Duration timeout) throws Exception {
        return job.name.equals(PendingJob.EXPORT)
                ? exportEvents(
                        job.configId,
                        job.payloadJson,
                        job.retries,
                        job.retries < PendingJob.MAX_RETRIES,
                        timeout)
                : runJob(job.configId, job.name, job.payloadJson, timeout);
    }

    /**
     * The export settings of a plugin config with {@code exportEvents} (spec §2.5): bytes and
     * seconds clamped, ignored event names trimmed.
     */
    public record ExportTarget(
            long configId, long bufferBytes, long bufferMillis, java.util.Set<String> ignored) {}

    /** The team's plugin configs that export events. */
    public List<ExportTarget> exportTargets(long teamId) throws Exception {
        List<ExportTarget> targets = new ArrayList<>();
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginVm vm = instance(config).vm(clock.getAsLong());
            if (vm != null && vm.methods().contains("exportEvents")) {
                ExportTarget target = exportTargets.get(config.id());
                if (target == null) {
                    target = exportTarget(config);
                    exportTargets.put(config.id(), target);
                }
                targets.add(target);
            }
        }
        return targets;
    }

    /** The export settings of a config, read from its JSON once (until the next reload). */
    private static ExportTarget exportTarget(PluginConfigRow config) throws Exception {
        JsonNode settings = Json.parse(config.configJson() == null ? "{}" : config.configJson());
        long bytes =
                clamp(
                        number(settings, "exportEventsBufferBytes", 1024 * 1024),
                        1,
                        100L * 1024 * 1024);
        long seconds = clamp(number(settings, "exportEventsBufferSeconds", 10), 1, 600);
        java.util.Set<String> ignored = new java.util.HashSet<>();
        JsonNode ignore = settings.get("exportEventsToIgnore");
        if (ignore != null && ignore.isTextual()) {
            for (String name : ignore.textValue().split(",")) {
                if (!name.isBlank()) {
                    ignored.add(name.trim());
                }
            }
        }
        return new ExportTarget(config.id(), bytes, seconds * 1000, ignored);
    }

    private static long number(JsonNode settings, String key, long fallback) {
        JsonNode value = settings.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        double parsed =
                value.isNumber()
                        ? value.doubleValue()
                        : com.posthog.flink.config.Settings.parseFloat(value.asText());
        return Double.isNaN(parsed) ? fallback : (long) parsed;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /**
     * Hands a batch (a JSON array of events) to a plugin config's {@code exportEvents}, and counts
     * it in the five export metrics (spec §2.5, §2.7): {@code events_seen} on the first attempt,
     * {@code events_delivered_successfully}, {@code retry_errors}, {@code other_errors}, and {@code
     * undelivered_events} when it fails for good.
     *
     * @param retriesSoFar 0 for the first attempt
     * @param canRetry whether a {@code RetryError} will be retried, or leaves the batch undelivered
     */
    public JobOutcome exportEvents(
            long configId,
            String batchJson,
            int retriesSoFar,
            boolean canRetry,
            java.time.Duration timeout)
            throws Exception {
        PluginConfigRow config = configs.configs().get(configId);
        PluginVm vm = config == null ? null : instance(config).vm(clock.getAsLong());
        if (vm == null || !vm.methods().contains("exportEvents")) {
            return JobOutcome.FAILED;
        }
        int size = Json.parse(batchJson).size();
        instance(config).startPhase("export:" + Integer.toHexString(batchJson.hashCode()));
        try {
            measured(configId, "exportEvents", () -> vm.call("exportEvents", timeout, batchJson));
            if (retriesSoFar == 0) {
                vm.addToMetric("events_seen", size);
            }
            vm.addToMetric("events_delivered_successfully", size);
            return JobOutcome.DONE;
        } catch (PluginCallException e) {
            boolean retry = "RetryError".equals(e.errorName());
            vm.addToMetric(retry ? "retry_errors" : "other_errors", size);
            if (!retry || !canRetry) {
                vm.addToMetric("undelivered_events", size);
            }
            if (retry) {
                return JobOutcome.RETRY;
            }
            recordError(config, e.errorName(), e.getMessage(), null);
            return JobOutcome.FAILED;
        }
    }

    /**
     * Sends each plugin's metrics (spec §2.7) as a {@code $$plugin_metrics} event into its own
     * team, with {@code plugin_name}, {@code plugin_id} and {@code plugin_tag}, and resets them.
     */
    public void sendMetrics(long teamId, long tick) throws Exception {
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginInstance instance = instance(config);
            PluginVm vm = instance.vm(clock.getAsLong());
            if (vm == null) {
                continue;
            }
            Map<String, Double> metrics = vm.drainMetrics();
            if (metrics.isEmpty()) {
                continue;
            }
            PluginRow plugin = configs.plugins().get(config.pluginId());
            ObjectNode properties = Json.MAPPER.createObjectNode();
            metrics.forEach((name, value) -> properties.put(name, value));
            properties.put("plugin_name", plugin.name());
            properties.put("plugin_id", plugin.id());
            properties.put("plugin_tag", plugin.tag());
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("event", "$$plugin_metrics");
            event.set("properties", properties);
            String name = config.id() + "\nmetrics:" + tick;
            context.capture(
                    config,
                    java.util
                            .UUID
                            .nameUUIDFromBytes(
                                    name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toString(),
                    Json.write(event));
        }
    }

    /** Tears every plugin down (the job is stopping). */
    public void teardown() {
        instances.values().forEach(instance -> instance.teardown(clock.getAsLong()));
    }

    /** Whether the config is one of the team's configs in force. */
    public boolean hasConfig(long teamId, long configId) {
        return configs.configsOfTeam(teamId).stream().anyMatch(config -> config.id() == configId);
    }

    /** Whether the team has plugin configs at all (most events can skip the chain entirely). */
    public boolean hasPlugins(long teamId) {
        return !configs.configsOfTeam(teamId).isEmpty();
    }

    /**
     * Loads the team's plugins now (they load lazily otherwise).
     *
     * @return {@code "<label>: <error>"} for each plugin that failed to load or set up
     */
    public List<String> setUp(long teamId) throws Exception {
        List<String> failures = new ArrayList<>();
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginInstance instance = instance(config);
            if (instance.vm(clock.getAsLong()) == null) {
                failures.add(instance.label() + ": " + instance.lastLoadError());
            }
        }
        return failures;
    }

    /**
     * Hands a batch to the {@code processEventBatch} of each plugin of the team that exports it, in
     * order, each getting what the one before returned ({@code plugin-run --invoke
     * processEventBatch}; the server only calls it through the single-event shim, spec §1.4). A
     * failure is recorded like any plugin error and the batch goes on unchanged.
     *
     * @return what the last plugin returned (null for {@code undefined} or {@code null})
     */
    public JsonNode processEventBatch(long teamId, JsonNode batch) throws Exception {
        JsonNode current = batch;
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginInstance instance = instance(config);
            PluginVm vm = instance.vm(clock.getAsLong());
            if (vm == null || !vm.methods().contains("processEventBatch")) {
                continue;
            }
            String json = Json.write(current);
            instance.startPhase("batch:" + Integer.toHexString(json.hashCode()));
            try {
                String result =
                        measured(
                                        config.id(),
                                        "processEventBatch",
                                        () ->
                                                vm.call(
                                                        "processEventBatch",
                                                        limits.taskTimeout(),
                                                        json))
                                .resultJson();
                current = result == null ? null : Json.parse(result);
            } catch (PluginCallException e) {
                recordError(config, e.errorName(), e.getMessage(), null);
            }
        }
        return current;
    }

    /** The loaded context of a plugin config, loading it if due; null if it cannot run. */
    public PluginVm loaded(long configId) throws Exception {
        PluginConfigRow config = configs.configs().get(configId);
        return config == null ? null : instance(config).vm(clock.getAsLong());
    }

    /**
     * Runs the team's {@code processEvent} chain (spec §2.2).
     *
     * @return the event after the chain, or null when a plugin dropped it
     */
    public ObjectNode processEvent(long teamId, ObjectNode event) throws Exception {
        List<Member> members = new ArrayList<>();
        String phase = "event:" + Json.jsString(event.get("uuid"));
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginInstance instance = instance(config);
            PluginVm vm = instance.vm(clock.getAsLong());
            if (vm != null) {
                members.add(member(instance, vm, phase));
            }
        }
        return ProcessEventChain.run(event, members, this::processError);
    }

    private PluginInstance instance(PluginConfigRow config) {
        return instances.computeIfAbsent(
                config.id(),
                id ->
                        new PluginInstance(
                                config,
                                configs.plugins().get(config.pluginId()),
                                baseDir,
                                limits,
                                context));
    }

    private Member member(PluginInstance instance, PluginVm vm, String phase) {
        return new InstanceMember(instance, vm, phase);
    }

    /** A loaded plugin config as a member of the chain. */
    private final class InstanceMember implements Member {

        private final PluginInstance instance;
        private final PluginVm vm;
        private final String phase;

        InstanceMember(PluginInstance instance, PluginVm vm, String phase) {
            this.instance = instance;
            this.vm = vm;
            this.phase = phase;
        }

        @Override
        public String label() {
            return instance.label();
        }

        @Override
        public boolean hasProcessEvent() {
            return vm.methods().contains("processEvent");
        }

        @Override
        public boolean hasDeferred() {
            return vm.methods().contains("onEvent") || vm.methods().contains("onSnapshot");
        }

        @Override
        public Call processEvent(ObjectNode event) throws Failure {
            instance.startPhase(phase);
            long configId = instance.config().id();
            try {
                PluginVm.EventResult result =
                        timed(
                                configId,
                                "processEvent",
                                () -> vm.processEvent(limits.taskTimeout(), event));
                if (!Json.truthy(result.result())) {
                    listener.dropped(configId);
                }
                return new Call(result.result(), result.eventAfter(), result.returnedEvent());
            } catch (PluginCallException e) {
                throw new Failure(e.errorName(), e.getMessage(), argumentAfter(e));
            } catch (Exception e) {
                throw new Failure("Error", e.getMessage(), null);
            }
        }
    }

    /** A call into a plugin. */
    @FunctionalInterface
    private interface PluginCall<T> {
        T run() throws PluginCallException;
    }

    /** Runs a plugin call, timing it and telling the listener how it went, result included. */
    private PluginVm.CallResult measured(
            long configId, String method, PluginCall<PluginVm.CallResult> call)
            throws PluginCallException {
        PluginVm.CallResult result = timed(configId, method, call);
        listener.returned(configId, method, result.resultJson());
        return result;
    }

    /** Runs a plugin call, timing it and telling the listener whether it failed. */
    private <T> T timed(long configId, String method, PluginCall<T> call)
            throws PluginCallException {
        long start = clock.getAsLong();
        boolean failed = true;
        try {
            T result = call.run();
            failed = false;
            return result;
        } catch (PluginCallException e) {
            listener.failed(configId, method, e.errorName(), e.getMessage());
            throw e;
        } finally {
            listener.called(configId, method, clock.getAsLong() - start, failed);
        }
    }

    private static ObjectNode argumentAfter(PluginCallException e) {
        try {
            List<String> after = e.argumentsAfterJson();
            return after == null || after.isEmpty() || after.get(0) == null
                    ? null
                    : Json.parseObject(after.get(0));
        } catch (Exception unreadable) {
            return null;
        }
    }

    /** {@code processError}: the config's error and a PLUGIN/ERROR log entry (spec §2.8). */
    private void processError(Member member, Failure failure, ObjectNode event) {
        recordError(
                ((InstanceMember) member).instance.config(),
                failure.name(),
                failure.getMessage(),
                event);
    }

    /** {@code processError}: the config's error and a PLUGIN/ERROR log entry (spec §2.8). */
    private void recordError(
            PluginConfigRow config, String name, String message, ObjectNode event) {
        try {
            JsonNode eventCopy = event == null ? null : event.deepCopy();
            context.setError(
                    config,
                    PluginErrors.errorJson(name, message, null, eventCopy, clock.getAsLong()));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Could not record the error of plugin config " + config.id(), e);
        }
        context.log(config, Source.PLUGIN, Type.ERROR, message);
    }

    /**
     * Gives the event to every plugin of the team with {@code onEvent}, or {@code onSnapshot} for a
     * {@code $snapshot} (spec §2.3); a failure is recorded like any plugin error and the others
     * still run. Runs after the event went on to ingestion.
     */
    public void onEvent(long teamId, ObjectNode event) throws Exception {
        JsonNode name = event.get("event");
        String method =
                name != null && "$snapshot".equals(name.asText()) ? "onSnapshot" : "onEvent";
        String json = Json.write(event);
        for (PluginConfigRow config : configs.configsOfTeam(teamId)) {
            PluginInstance instance = instance(config);
            PluginVm vm = instance.vm(clock.getAsLong());
            if (vm == null || !vm.methods().contains(method)) {
                continue;
            }
            instance.startPhase(method + ":" + Json.jsString(event.get("uuid")));
            try {
                measured(config.id(), method, () -> vm.call(method, limits.taskTimeout(), json));
            } catch (PluginCallException e) {
                recordError(config, e.errorName(), e.getMessage(), event);
            }
        }
    }

    @Override
    public void close() {
        instances.values().forEach(PluginInstance::close);
        instances.clear();
    }
}
