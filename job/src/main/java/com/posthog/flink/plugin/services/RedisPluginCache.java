package com.posthog.flink.plugin.services;

import java.net.URI;
import java.util.List;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

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
    public void close() {
        redis.close();
    }
}
