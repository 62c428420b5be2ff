package com.posthog.flink.plugin.runtime;

import java.time.Duration;

/**
 * Bounds on a plugin's JavaScript (CONTRACTS.md, "Guarantees").
 *
 * @param taskTimeout {@code TASK_TIMEOUT}: bounds loading a plugin (its top-level code); each call
 *     gets its own timeout from the caller, since schedules and jobs have a longer one
 * @param memoryLimitBytes {@code PLUGIN_MEMORY_LIMIT_MB}: what one call's JavaScript may allocate
 */
public record PluginLimits(Duration taskTimeout, long memoryLimitBytes) {

    /** The defaults: {@code TASK_TIMEOUT} 30 s, {@code PLUGIN_MEMORY_LIMIT_MB} 256. */
    public static final PluginLimits DEFAULTS =
            new PluginLimits(Duration.ofSeconds(30), 256L * 1024 * 1024);

    public PluginLimits {
        if (taskTimeout.isNegative() || taskTimeout.isZero() || memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
