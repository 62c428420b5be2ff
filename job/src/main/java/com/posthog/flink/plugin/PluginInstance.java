package com.posthog.flink.plugin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.loading.AttachmentRow;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.loading.PluginSources;
import com.posthog.flink.plugin.runtime.PluginCallException;
import com.posthog.flink.plugin.runtime.PluginLimits;
import com.posthog.flink.plugin.runtime.PluginVm;
import com.posthog.flink.plugin.services.PluginErrors;
import com.posthog.flink.plugin.services.PluginLogEntry.Source;
import com.posthog.flink.plugin.services.PluginLogEntry.Type;
import com.posthog.flink.plugin.services.Uuidt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One plugin config's context and its lifecycle (spec §1.5): loaded lazily with {@code
 * setupPlugin}; a failed load is recorded and retried after 3 s × 2^(attempt−1), and after 10
 * attempts the config is disabled.
 */
final class PluginInstance implements AutoCloseable {

    static final int MAX_LOAD_ATTEMPTS = 10;
    static final long FIRST_RETRY_MILLIS = 3_000;

    private final PluginConfigRow config;
    private final PluginRow plugin;
    private final String baseDir;
    private final PluginLimits limits;
    private final PluginHostContext context;
    private final String instanceId = Uuidt.next();

    private PluginVm vm;
    private int failedAttempts;
    private long retryAt;
    private boolean disabled;
    private String lastLoadError;

    /** The phase the current call belongs to, for deterministic uuids of captured events. */
    private String phase = "setup";

    private int captureIndex;

    PluginInstance(
            PluginConfigRow config,
            PluginRow plugin,
            String baseDir,
            PluginLimits limits,
            PluginHostContext context) {
        this.config = config;
        this.plugin = plugin;
        this.baseDir = baseDir;
        this.limits = limits;
        this.context = context;
    }

    PluginConfigRow config() {
        return config;
    }

    /**
     * Whether a reloaded config still runs the same code with the same config and attachments (its
     * order or recorded error may differ); otherwise the context is replaced.
     */
    boolean runsTheSameAs(
            PluginConfigRow other,
            PluginRow otherPlugin,
            List<AttachmentRow> attachments,
            List<AttachmentRow> otherAttachments) {
        return otherPlugin != null
                && java.util.Objects.equals(config.configJson(), other.configJson())
                && config.pluginId() == other.pluginId()
                && java.util.Objects.equals(plugin.pluginType(), otherPlugin.pluginType())
                && java.util.Objects.equals(plugin.name(), otherPlugin.name())
                && java.util.Objects.equals(plugin.url(), otherPlugin.url())
                && java.util.Objects.equals(plugin.tag(), otherPlugin.tag())
                && java.util.Arrays.equals(plugin.archive(), otherPlugin.archive())
                && java.util.Objects.equals(plugin.source(), otherPlugin.source())
                && attachments.equals(otherAttachments);
    }

    /**
     * {@code teardownPlugin} before the context is replaced or the job stops (spec §2.1); a throw
     * is recorded on the config like any plugin error.
     */
    void teardown(long now) {
        if (vm == null || !vm.methods().contains("teardownPlugin")) {
            return;
        }
        startPhase("teardown");
        try {
            vm.call("teardownPlugin", limits.taskTimeout());
        } catch (PluginCallException e) {
            try {
                context.setError(
                        config,
                        PluginErrors.errorJson(
                                e.errorName(), e.getMessage(), e.stack(), null, now));
            } catch (Exception recording) {
                throw new IllegalStateException(
                        "Could not record the teardown error of plugin config " + config.id(),
                        recording);
            }
            context.log(config, Source.PLUGIN, Type.ERROR, e.getMessage());
        }
    }

    /** {@code "<plugin name> (<config id>)"}, as in {@code $plugins_*}. */
    String label() {
        return plugin.name() + " (" + config.id() + ")";
    }

    /** The loaded context, loading it when due; null while the plugin cannot run. */
    PluginVm vm(long now) throws Exception {
        if (vm != null || disabled || now < retryAt) {
            return vm;
        }
        PluginVm loaded = null;
        try {
            startPhase("setup");
            loaded =
                    PluginVm.load(
                            PluginSources.codeOf(plugin, baseDir),
                            context.services(config, plugin, this::capture),
                            limits);
            if (loaded.methods().contains("setupPlugin")) {
                loaded.call("setupPlugin", limits.taskTimeout());
            }
        } catch (Exception e) {
            if (loaded != null) {
                loaded.close();
            }
            loadFailed(e, now);
            return null;
        }
        vm = loaded;
        failedAttempts = 0;
        lastLoadError = null;
        context.log(
                config,
                Source.SYSTEM,
                Type.INFO,
                "Plugin loaded (instance ID " + instanceId + ").");
        context.clearError(config);
        context.setCapabilities(plugin, capabilities(vm), vm.metrics());
        return vm;
    }

    /**
     * The jobs the plugin enqueued since the last call ({@code meta.jobs.NAME(payload).runNow()},
     * {@code runIn}, {@code runAt}), with their due time; {@code runNow} is due at {@code now}.
     */
    List<PluginHost.JobRequest> drainJobs(long now) {
        List<PluginHost.JobRequest> jobs = new ArrayList<>();
        if (vm != null) {
            for (PluginVm.JobRequest request : vm.drainJobRequests()) {
                long runAt =
                        request.runAtIso() == null
                                ? now
                                : java.time.Instant.parse(request.runAtIso()).toEpochMilli();
                jobs.add(
                        new PluginHost.JobRequest(
                                config.id(), request.name(), request.payloadJson(), runAt));
            }
        }
        return jobs;
    }

    /** Why the last load failed, or null. */
    String lastLoadError() {
        return lastLoadError;
    }

    private void loadFailed(Exception e, long now) throws Exception {
        lastLoadError = e.getMessage();
        String name = e instanceof PluginCallException call ? call.errorName() : "Error";
        String stack = e instanceof PluginCallException call ? call.stack() : null;
        context.setError(config, PluginErrors.errorJson(name, e.getMessage(), stack, null, now));
        context.log(config, Source.SYSTEM, Type.ERROR, e.getMessage());
        failedAttempts++;
        if (failedAttempts >= MAX_LOAD_ATTEMPTS) {
            disabled = true;
            context.log(
                    config,
                    Source.SYSTEM,
                    Type.ERROR,
                    "Disabling it due to too many retries – tried to load it "
                            + failedAttempts
                            + " times before giving up.");
            context.disable(config);
            return;
        }
        long delay = FIRST_RETRY_MILLIS << (failedAttempts - 1);
        retryAt = now + delay;
        context.log(
                config,
                Source.SYSTEM,
                Type.WARN,
                "Plugin failed to load (instance ID "
                        + instanceId
                        + "). Retrying in "
                        + delay / 1000
                        + " s.");
    }

    /** {@code {methods, scheduled_tasks, jobs}} as the original inferred them. */
    static ObjectNode capabilities(PluginVm vm) {
        List<String> methods = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        for (String method : vm.methods()) {
            if (method.startsWith("runEvery")) {
                if (List.of("runEveryMinute", "runEveryHour", "runEveryDay").contains(method)) {
                    tasks.add(method);
                }
            } else if (!method.equals("processEventBatch")) {
                methods.add(method);
            }
        }
        methods.sort(null);
        tasks.sort(null);
        ObjectNode capabilities = Json.MAPPER.createObjectNode();
        capabilities.set("methods", strings(methods));
        capabilities.set("scheduled_tasks", strings(tasks));
        capabilities.set("jobs", strings(new ArrayList<>(vm.jobNames())));
        return capabilities;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Names the phase of the next calls (e.g. {@code event:<uuid>}). */
    void startPhase(String phase) {
        this.phase = phase;
        this.captureIndex = 0;
    }

    /** A captured event gets a uuid from (config, phase, index): a replay captures the same. */
    private void capture(String eventJson) {
        String name = config.id() + "\n" + phase + "\n" + captureIndex++;
        String uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
        context.capture(config, uuid, eventJson);
    }

    @Override
    public void close() {
        if (vm != null) {
            vm.close();
            vm = null;
        }
    }
}
