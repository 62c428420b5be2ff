package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryPluginCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MemoryPluginCache cache = new MemoryPluginCache(now::get);

    @Test
    void keysAreScopedPerPluginAndTeam() {
        assertThat(PluginCache.key(5, 2L, "counter")).isEqualTo("@plugin/5/2/counter");
        assertThat(PluginCache.key(5, null, "counter")).isEqualTo("@plugin/5/@all/counter");
    }

    @Test
    void setAndGetWithATtlOnTheClock() {
        cache.set("a", "\"x\"", 10L);
        cache.set("b", "1", null);
        cache.set("c", "2", 0L);

        now.addAndGet(9_999);
        assertThat(cache.get("a")).isEqualTo("\"x\"");
        now.addAndGet(1);
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isEqualTo("1");
        assertThat(cache.get("c")).isEqualTo("2");
        assertThat(cache.get("missing")).isNull();
    }

    @Test
    void setClearsAnEarlierTtl() {
        cache.set("a", "1", 1L);
        cache.set("a", "2", null);

        now.addAndGet(5_000);

        assertThat(cache.get("a")).isEqualTo("2");
    }

    @Test
    void negativeTtlIsRefusedAsRedisDoes() {
        assertThatThrownBy(() -> cache.set("a", "1", -1L))
                .hasMessage("ERR invalid expire time in 'set' command");
    }

    @Test
    void incrCountsFromZeroAndKeepsTheTtl() {
        assertThat(cache.incr("n")).isEqualTo(1);
        assertThat(cache.incr("n")).isEqualTo(2);
        assertThat(cache.expire("n", 2)).isTrue();
        assertThat(cache.incr("n")).isEqualTo(3);

        now.addAndGet(2_000);

        assertThat(cache.get("n")).isNull();
        assertThat(cache.incr("n")).isEqualTo(1);
    }

    @Test
    void incrOfTextFails() {
        cache.set("t", "\"text\"", null);

        assertThatThrownBy(() -> cache.incr("t"))
                .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void expireOfAMissingKeyIsFalseAndZeroDeletes() {
        assertThat(cache.expire("missing", 10)).isFalse();
        cache.set("a", "1", null);

        assertThat(cache.expire("a", 0)).isTrue();

        assertThat(cache.get("a")).isNull();
    }

    @Test
    void listsPushToTheHeadAndRangeLikeRedis() {
        assertThat(cache.lpush("l", List.of("a", "b"))).isEqualTo(2);
        assertThat(cache.lpush("l", List.of("c"))).isEqualTo(3);

        assertThat(cache.lrange("l", 0, -1)).containsExactly("c", "b", "a");
        assertThat(cache.lrange("l", 1, 1)).containsExactly("b");
        assertThat(cache.lrange("l", -2, 100)).containsExactly("b", "a");
        assertThat(cache.lrange("l", 2, 1)).isEmpty();
        assertThat(cache.lrange("missing", 0, -1)).isEmpty();
        assertThat(cache.llen("l")).isEqualTo(3);
        assertThat(cache.llen("missing")).isZero();
    }

    @Test
    void lremFromTheHeadTheTailOrEverywhere() {
        cache.lpush("l", List.of("x", "a", "x", "b", "x"));

        assertThat(cache.lrem("l", 1, "x")).isEqualTo(1);
        assertThat(cache.lrange("l", 0, -1)).containsExactly("b", "x", "a", "x");
        assertThat(cache.lrem("l", -1, "x")).isEqualTo(1);
        assertThat(cache.lrange("l", 0, -1)).containsExactly("b", "x", "a");
        assertThat(cache.lrem("l", 0, "x")).isEqualTo(1);
        assertThat(cache.lrange("l", 0, -1)).containsExactly("b", "a");
        assertThat(cache.lrem("missing", 0, "x")).isZero();
    }

    @Test
    void lpopTakesFromTheHeadAndAnEmptiedListIsGone() {
        cache.lpush("l", List.of("a", "b", "c"));

        assertThat(cache.lpop("l", 2)).containsExactly("c", "b");
        assertThat(cache.lpop("l", 5)).containsExactly("a");
        assertThat(cache.lpop("l", 1)).isEmpty();
        assertThat(cache.llen("l")).isZero();
    }

    @Test
    void commandsOnTheWrongKindOfValueFail() {
        cache.set("s", "1", null);
        cache.lpush("l", List.of("a"));

        assertThatThrownBy(() -> cache.get("l")).hasMessageStartingWith("WRONGTYPE");
        assertThatThrownBy(() -> cache.lpush("s", List.of("a")))
                .hasMessageStartingWith("WRONGTYPE");
        assertThatThrownBy(() -> cache.lpush("l", List.of())).hasMessageContaining("wrong number");
    }

    @Test
    void entriesOfOnePluginAndTeamWithoutThePrefix() {
        cache.set(PluginCache.key(5, 2L, "s"), "\"v\"", null);
        cache.lpush(PluginCache.key(5, 2L, "l"), List.of("a", "b"));
        cache.set(PluginCache.key(5, 2L, "gone"), "1", 1L);
        cache.set(PluginCache.key(5, 3L, "other team"), "1", null);
        cache.set(PluginCache.key(6, 2L, "other plugin"), "1", null);
        now.addAndGet(1_000);

        assertThat(cache.entries(5, 2L)).isEqualTo(Map.of("s", "\"v\"", "l", List.of("b", "a")));
    }
}
