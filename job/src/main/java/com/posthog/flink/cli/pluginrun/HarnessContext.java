package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.plugin.PluginHostContext;
import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.runtime.PluginServices;
import com.posthog.flink.plugin.services.DefaultPluginServices;
import com.posthog.flink.plugin.services.PluginCache;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.plugin.services.PluginStorage;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The surroundings of the plugins in {@code plugin-run}: state in memory (or in the Redis and
 * Postgres of {@code --redis} and {@code --database}), the clock of the current phase, fetch
 * answered by {@code --fetch-mock} and written to {@code --fetch-log} when given; logs and captured
 * events go to the {@link PhaseRecorder} and to standard error.
 */
final class HarnessContext implements PluginHostContext {

    private final PluginConfigs configs;
    private final PhaseRecorder recorder;
    private final PrintStream err;
    private final GeoIp geoIp;
    private final FetchRoutes routes;
    private final FetchLog fetchLog;
    private final PluginStorage storage;
    private final PluginCache cache;

    /** {@code posthog_pluginconfig.error} by config id, as the server would have written it. */
    private final Map<Long, ObjectNode> errors = new HashMap<>();

    /**
     * @param geoIp the {@code --mmdb} database; without it {@code meta.geoip} is absent
     * @param routes {@code --fetch-mock}, or null to make real requests
     * @param fetchLog {@code --fetch-log}, or null
     * @param storage {@code meta.storage} of every plugin
     * @param cache {@code meta.cache} of every plugin
     */
    HarnessContext(
            PluginConfigs configs,
            PhaseRecorder recorder,
            PrintStream err,
            GeoIp geoIp,
            FetchRoutes routes,
            FetchLog fetchLog,
            PluginStorage storage,
            PluginCache cache) {
        this.configs = configs;
        this.recorder = recorder;
        this.err = err;
        this.geoIp = geoIp;
        this.routes = routes;
        this.fetchLog = fetchLog;
        this.storage = storage;
        this.cache = cache;
    }

    PluginConfigs configs() {
        return configs;
    }

    private String label(long configId) {
        return PluginRows.label(configs, configId);
    }

    PluginStorage storage() {
        return storage;
    }

    PluginCache cache() {
        return cache;
    }

    /** The error a config recorded last (its load or setup failure), or null. */
    ObjectNode error(long configId) {
        return errors.get(configId);
    }

    @Override
    public PluginServices services(
            PluginConfigRow config, PluginRow plugin, Consumer<String> captures) {
        return new DefaultPluginServices(
                config,
                configs.attachments(config.id()),
                "plugin-run",
                storage,
                cache,
                entry -> {},
                captures,
                geoIp,
                geoIp != null,
                null,
                null) {

            @Override
            public void log(String type, String message) {
                recorder.log(type, message);
                err.println(label(config.id()) + " " + type + ": " + message);
            }

            @Override
            public java.util.function.LongSupplier fixedClock() {
                return recorder::time;
            }

            @Override
            public FetchResponse fetch(FetchRequest request) throws Exception {
                if (fetchLog != null) {
                    fetchLog.write(recorder.phase(), request);
                }
                return routes == null ? super.fetch(request) : routes.answer(request);
            }
        };
    }

    @Override
    public void setError(PluginConfigRow config, ObjectNode error) {
        errors.put(config.id(), error);
    }

    @Override
    public void clearError(PluginConfigRow config) {
        errors.remove(config.id());
    }

    @Override
    public void disable(PluginConfigRow config) {}

    @Override
    public void setCapabilities(
            PluginRow plugin, ObjectNode capabilities, Map<String, String> metrics) {}

    @Override
    public void log(
            PluginConfigRow config,
            PluginLogEntry.Source source,
            PluginLogEntry.Type type,
            String message) {
        err.println(label(config.id()) + " " + type + ": " + message);
    }

    @Override
    public void capture(PluginConfigRow config, String uuid, String eventJson) {
        recorder.captured(eventJson);
        err.println(label(config.id()) + " captured: " + eventJson);
    }
}
