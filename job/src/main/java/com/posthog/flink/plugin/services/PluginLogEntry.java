package com.posthog.flink.plugin.services;

import java.io.Serializable;

/**
 * One plugin log entry (spec §2.9): a {@code console.*} call, a system message about a plugin's
 * lifecycle, or a plugin error. Written to {@code plugin_log_entries} in ClickHouse or to {@code
 * posthog_pluginlogentry} in Postgres, depending on the pipeline; a record so it travels through
 * Flink as a POJO.
 *
 * @param id a UUIDT
 * @param timestamp Unix milliseconds
 * @param instanceId the UUIDT of the process (the original's hub) that wrote the entry
 */
public record PluginLogEntry(
        String id,
        long teamId,
        long pluginId,
        long pluginConfigId,
        long timestamp,
        Source source,
        Type type,
        String message,
        String instanceId)
        implements Serializable {

    /** Who produced the entry. */
    public enum Source {
        SYSTEM,
        PLUGIN,
        CONSOLE
    }

    /** The level, named after the {@code console} methods. */
    public enum Type {
        DEBUG,
        LOG,
        INFO,
        WARN,
        ERROR
    }

    /** A new entry with a fresh UUIDT. */
    public static PluginLogEntry create(
            long teamId,
            long pluginId,
            long pluginConfigId,
            long timestamp,
            Source source,
            Type type,
            String message,
            String instanceId) {
        return new PluginLogEntry(
                Uuidt.next(),
                teamId,
                pluginId,
                pluginConfigId,
                timestamp,
                source,
                type,
                message,
                instanceId);
    }
}
