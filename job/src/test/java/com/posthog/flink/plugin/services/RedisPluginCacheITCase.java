package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.testing.TestServices;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;

/** {@code meta.cache} on the real Redis, in the tests' database index. */
class RedisPluginCacheITCase {

    private final TestServices services = TestServices.fromEnvironment();
    private final String testUrl =
            services.dynamicProperties().get(PluginServerOptions.REDIS_URL.key());

    /** A plugin id of this run only, so the keys touch nothing else in the database. */
    private final long pluginId = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);

    private RedisPluginCache cache;
    private JedisPooled redis;

    @BeforeEach
    void connect() {
        cache = new RedisPluginCache(testUrl);
        redis = new JedisPooled(URI.create(testUrl));
    }

    @AfterEach
    void cleanUp() {
        for (String key : redis.keys(PluginCache.prefix(pluginId, 2L) + "*")) {
            redis.del(key);
        }
        redis.close();
        cache.close();
    }

    private String key(String name) {
        return PluginCache.key(pluginId, 2L, name);
    }

    @Test
    void usesTheDatabaseIndexOfTheUrl() {
        cache.set(key("k"), "\"v\"", null);

        assertThat(redis.get(key("k"))).isEqualTo("\"v\"");
        try (JedisPooled databaseZero =
                new JedisPooled(URI.create(services.environment().get("REDIS_URL")))) {
            assertThat(databaseZero.exists(key("k"))).isFalse();
        }
    }

    @Test
    void setWithATtlExpires() throws Exception {
        cache.set(key("short"), "1", 1L);
        cache.set(key("forever"), "2", 0L);

        assertThat(cache.get(key("short"))).isEqualTo("1");
        assertThat(redis.ttl(key("short"))).isBetween(0L, 1L);
        assertThat(redis.ttl(key("forever"))).isEqualTo(-1L);

        Thread.sleep(1_500);

        assertThat(cache.get(key("short"))).isNull();
        assertThat(cache.get(key("forever"))).isEqualTo("2");
    }

    @Test
    void incrAndExpire() {
        assertThat(cache.incr(key("n"))).isEqualTo(1);
        assertThat(cache.incr(key("n"))).isEqualTo(2);

        assertThat(cache.expire(key("n"), 60)).isTrue();
        assertThat(cache.expire(key("missing"), 60)).isFalse();
        assertThat(redis.ttl(key("n"))).isBetween(1L, 60L);
    }

    @Test
    void listOperations() {
        assertThat(cache.lpush(key("l"), List.of("a", "b", "x"))).isEqualTo(3);
        assertThat(cache.lpush(key("l"), List.of("x"))).isEqualTo(4);

        assertThat(cache.lrange(key("l"), 0, -1)).containsExactly("x", "x", "b", "a");
        assertThat(cache.llen(key("l"))).isEqualTo(4);
        assertThat(cache.lrem(key("l"), 0, "x")).isEqualTo(2);
        assertThat(cache.lpop(key("l"), 1)).containsExactly("b");
        assertThat(cache.lpop(key("l"), 5)).containsExactly("a");
        assertThat(cache.lpop(key("l"), 1)).isEmpty();
        assertThat(cache.lrange(key("missing"), 0, -1)).isEmpty();
    }

    @Test
    void wrongKindOfValueFailsAsInMemory() {
        cache.lpush(key("l"), List.of("a"));

        assertThatThrownBy(() -> cache.get(key("l")))
                .isInstanceOf(JedisDataException.class)
                .hasMessageStartingWith("WRONGTYPE");
    }
}
