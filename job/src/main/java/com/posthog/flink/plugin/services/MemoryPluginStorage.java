package com.posthog.flink.plugin.services;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code meta.storage} in memory, for {@code plugin-run} without a database and for tests. */
public final class MemoryPluginStorage implements PluginStorage {

    private final Map<Long, Map<String, String>> byConfig = new HashMap<>();

    @Override
    public synchronized String get(long pluginConfigId, String key) {
        return byConfig.getOrDefault(pluginConfigId, Map.of()).get(key);
    }

    @Override
    public synchronized void set(long pluginConfigId, String key, String json) {
        byConfig.computeIfAbsent(pluginConfigId, id -> new HashMap<>()).put(key, json);
    }

    @Override
    public synchronized void del(long pluginConfigId, String key) {
        Map<String, String> values = byConfig.get(pluginConfigId);
        if (values != null) {
            values.remove(key);
        }
    }

    /** Everything a config stored, sorted by key (for {@code plugin-run --dump-state}). */
    @Override
    public synchronized Map<String, String> entries(long pluginConfigId) {
        return new TreeMap<>(byConfig.getOrDefault(pluginConfigId, Map.of()));
    }
}
