package com.posthog.flink.plugin.services;

import java.sql.SQLException;
import java.util.Map;

/**
 * {@code meta.storage} (spec §2.4): durable key-value storage per plugin config, values as JSON
 * text. Postgres in the job, memory in {@code plugin-run} and unit tests.
 */
public interface PluginStorage {

    /**
     * @return the stored JSON text, or null when the key is missing
     */
    String get(long pluginConfigId, String key) throws SQLException;

    /** Inserts or replaces the value. */
    void set(long pluginConfigId, String key, String json) throws SQLException;

    void del(long pluginConfigId, String key) throws SQLException;

    /** Every key of a config with its JSON text, by key (for {@code plugin-run --dump-state}). */
    Map<String, String> entries(long pluginConfigId) throws SQLException;
}
