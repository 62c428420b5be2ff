package com.posthog.flink.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.runtime.PluginServices;
import com.posthog.flink.plugin.services.PluginLogEntry;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link PluginHost} needs from its surroundings: Postgres and Redis in the job, memory in
 * tests and {@code plugin-run}.
 */
public interface PluginHostContext {

    /**
     * The services behind one plugin config's {@code meta} and globals.
     *
     * @param captures receives each {@code posthog.capture} call's event JSON
     */
    PluginServices services(PluginConfigRow config, PluginRow plugin, Consumer<String> captures)
            throws Exception;

    /** {@code processError}: writes {@code posthog_pluginconfig.error} (spec §2.8). */
    void setError(PluginConfigRow config, ObjectNode error) throws Exception;

    /** Clears the config's error after a successful load, if one was set. */
    void clearError(PluginConfigRow config) throws Exception;

    /** Disables a config that failed to load ten times. */
    void disable(PluginConfigRow config) throws Exception;

    /**
     * Writes the plugin's capabilities and its metrics ({@code name → sum|max|min}, spec §2.7) when
     * they changed.
     */
    void setCapabilities(PluginRow plugin, ObjectNode capabilities, Map<String, String> metrics)
            throws Exception;

    /** A log entry of the host itself (source SYSTEM or PLUGIN). */
    void log(
            PluginConfigRow config,
            PluginLogEntry.Source source,
            PluginLogEntry.Type type,
            String message);

    /** A {@code posthog.capture} event, with the uuid the host derived for it. */
    void capture(PluginConfigRow config, String uuid, String eventJson);
}
