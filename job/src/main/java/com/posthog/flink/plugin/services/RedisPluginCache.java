package com.posthog.flink.plugin.services;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** {@code meta.cache} in Redis, as in the original: plugins share it across the cluster. */
public final class RedisPluginCache implements PluginCache, AutoCloseable {

    private final JedisPooled redis;

    /**
     * @param redisUrl e.g. {@code redis://host:6379} or, with a database index, {@code
     *     redis://host:6379/9}
     */
    public RedisPluginCache(String redisUrl) {
        this.redis = new JedisPooled(URI.create(redisUrl));
    }

    @Override
    public String get(String key) {
        return redis.get(key);
    }

    @Override
    public void set(String key, String value, Long ttlSeconds) {
        if (ttlSeconds == null || ttlSeconds == 0) {
            redis.set(key, value);
        } else {
            redis.set(key, value, SetParams.setParams().ex(ttlSeconds));
        }
    }

    @Override
    public long incr(String key) {
        return redis.incr(key);
    }

    @Override
    public boolean expire(String key, long ttlSeconds) {
        return redis.expire(key, ttlSeconds) == 1;
    }

    @Override
    public long lpush(String key, List<String> values) {
        return redis.lpush(key, values.toArray(String[]::new));
    }

    @Override
    public List<String> lrange(String key, long start, long end) {
        return redis.lrange(key, start, end);
    }

    @Override
    public long llen(String key) {
        return redis.llen(key);
    }

    @Override
    public long lrem(String key, long count, String value) {
        return redis.lrem(key, count, value);
    }

    @Override
    public List<String> lpop(String key, long count) {
        List<String> popped = redis.lpop(key, Math.toIntExact(count));
        return popped == null ? List.of() : popped;
    }

    @Override
    public Map<String, Object> entries(long pluginId, Long teamId) {
        String prefix = PluginCache.prefix(pluginId, teamId);
        ScanParams match = new ScanParams().match(prefix + "*").count(1000);
        Map<String, Object> entries = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            for (String key : page.getResult()) {
                Object value =
                        "list".equals(redis.type(key)) ? redis.lrange(key, 0, -1) : redis.get(key);
                if (value != null) {
                    entries.put(key.substring(prefix.length()), value);
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return entries;
    }

    @Override
    public void close() {
        redis.close();
    }
}
