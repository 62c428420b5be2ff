package com.posthog.flink.plugin.services;

import java.util.List;
import java.util.Map;

/**
 * {@code meta.cache} (spec §2.4): the Redis commands a plugin may use, on full Redis keys. Keys are
 * scoped per plugin and team with {@link #key}, so a plugin installed in several teams gets one
 * cache per team, and one shared by its teamless configs. Redis in the job, memory in {@code
 * plugin-run} and unit tests; both follow Redis semantics (errors included).
 */
public interface PluginCache {

    /** {@code @plugin/<plugin id>/<team id, or @all without a team>/<key>}. */
    static String key(long pluginId, Long teamId, String key) {
        return prefix(pluginId, teamId) + key;
    }

    /** The part of {@link #key} before the plugin's own key. */
    static String prefix(long pluginId, Long teamId) {
        return "@plugin/" + pluginId + "/" + (teamId == null ? "@all" : teamId) + "/";
    }

    /**
     * @return the value, or null when the key is missing
     */
    String get(String key);

    /** {@code SET}, with {@code EX ttlSeconds} unless it is null or 0. */
    void set(String key, String value, Long ttlSeconds);

    long incr(String key);

    /**
     * @return whether the key exists (and now expires)
     */
    boolean expire(String key, long ttlSeconds);

    /**
     * @return the length of the list after the push
     */
    long lpush(String key, List<String> values);

    List<String> lrange(String key, long start, long end);

    long llen(String key);

    /**
     * @return the number of removed elements
     */
    long lrem(String key, long count, String value);

    /**
     * @return the popped elements, empty when the list is missing
     */
    List<String> lpop(String key, long count);

    /**
     * The live keys of a plugin and team, without their prefix, by key: a string's value, or a
     * list's elements head first (for {@code plugin-run --dump-state}).
     */
    Map<String, Object> entries(long pluginId, Long teamId);
}
