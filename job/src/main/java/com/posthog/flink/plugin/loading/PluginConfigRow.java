package com.posthog.flink.plugin.loading;

import java.io.Serializable;

/**
 * A row of {@code posthog_pluginconfig}: one installation of a plugin for a team (spec §1.1).
 *
 * @param teamId null for a config without a team
 * @param configJson {@code config} as JSON text ({@code meta.config})
 * @param errorJson {@code error} as JSON text, or null when no error is recorded
 */
public record PluginConfigRow(
        long id,
        Long teamId,
        long pluginId,
        boolean enabled,
        int order,
        String configJson,
        String errorJson)
        implements Serializable {}
