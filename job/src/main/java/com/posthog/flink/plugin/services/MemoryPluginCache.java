package com.posthog.flink.plugin.services;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * {@code meta.cache} in memory, for {@code plugin-run} without Redis and for tests. Follows Redis:
 * strings and lists under one key space, {@code WRONGTYPE} when a command meets the other kind,
 * TTLs measured by the given clock (so a simulated clock expires keys too), {@code SET} clearing a
 * TTL, an emptied list removing its key.
 */
public final class MemoryPluginCache implements PluginCache {

    private static final String WRONG_TYPE =
            "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** A string or a list (index 0 is the head), and when it expires (null: never). */
    private static final class Value {
        Object data;
        Long expiresAt;

        Value(Object data) {
            this.data = data;
        }
    }

    private final Map<String, Value> values = new HashMap<>();
    private final LongSupplier clock;

    /** On the wall clock. */
    public MemoryPluginCache() {
        this(System::currentTimeMillis);
    }

    /**
     * @param clock the current time in Unix milliseconds
     */
    public MemoryPluginCache(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized String get(String key) {
        Value value = live(key);
        return value == null ? null : string(value);
    }

    @Override
    public synchronized void set(String key, String value, Long ttlSeconds) {
        Value stored = new Value(value);
        if (ttlSeconds != null && ttlSeconds != 0) {
            if (ttlSeconds < 0) {
                throw new IllegalArgumentException("ERR invalid expire time in 'set' command");
            }
            stored.expiresAt = clock.getAsLong() + ttlSeconds * 1000;
        }
        values.put(key, stored);
    }

    @Override
    public synchronized long incr(String key) {
        Value value = live(key);
        if (value == null) {
            values.put(key, new Value("1"));
            return 1;
        }
        long next;
        try {
            next = Math.addExact(Long.parseLong(string(value)), 1);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalStateException("ERR value is not an integer or out of range");
        }
        value.data = Long.toString(next);
        return next;
    }

    @Override
    public synchronized boolean expire(String key, long ttlSeconds) {
        Value value = live(key);
        if (value == null) {
            return false;
        }
        if (ttlSeconds <= 0) {
            values.remove(key);
        } else {
            value.expiresAt = clock.getAsLong() + ttlSeconds * 1000;
        }
        return true;
    }

    @Override
    public synchronized long lpush(String key, List<String> elements) {
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("ERR wrong number of arguments for 'lpush' command");
        }
        Value value = live(key);
        if (value == null) {
            value = new Value(new ArrayList<String>());
            values.put(key, value);
        }
        List<String> list = list(value);
        elements.forEach(element -> list.add(0, element));
        return list.size();
    }

    @Override
    public synchronized List<String> lrange(String key, long start, long end) {
        Value value = live(key);
        if (value == null) {
            return List.of();
        }
        List<String> list = list(value);
        int size = list.size();
        long from = Math.max(0, start < 0 ? size + start : start);
        long to = Math.min(size - 1, end < 0 ? size + end : end);
        return from > to ? List.of() : List.copyOf(list.subList((int) from, (int) to + 1));
    }

    @Override
    public synchronized long llen(String key) {
        Value value = live(key);
        return value == null ? 0 : list(value).size();
    }

    @Override
    public synchronized long lrem(String key, long count, String element) {
        Value value = live(key);
        if (value == null) {
            return 0;
        }
        List<String> list = list(value);
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            for (Iterator<String> it = list.iterator(); it.hasNext() && removed < limit; ) {
                if (it.next().equals(element)) {
                    it.remove();
                    removed++;
                }
            }
        } else {
            for (ListIterator<String> it = list.listIterator(list.size());
                    it.hasPrevious() && removed < limit; ) {
                if (it.previous().equals(element)) {
                    it.remove();
                    removed++;
                }
            }
        }
        removeIfEmpty(key, list);
        return removed;
    }

    @Override
    public synchronized List<String> lpop(String key, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("ERR value is out of range, must be positive");
        }
        Value value = live(key);
        if (value == null) {
            return List.of();
        }
        List<String> list = list(value);
        List<String> head = list.subList(0, (int) Math.min(count, list.size()));
        List<String> popped = List.copyOf(head);
        head.clear();
        removeIfEmpty(key, list);
        return popped;
    }

    /**
     * The live keys of one plugin and team, without the prefix: strings as {@code String}, lists as
     * {@code List<String>} from the head (for {@code plugin-run --dump-state}).
     */
    @Override
    public synchronized Map<String, Object> entries(long pluginId, Long teamId) {
        String prefix = PluginCache.prefix(pluginId, teamId);
        Map<String, Object> entries = new TreeMap<>();
        for (String key : List.copyOf(values.keySet())) {
            Value value = live(key);
            if (value != null && key.startsWith(prefix)) {
                Object data = value.data instanceof List<?> list ? List.copyOf(list) : value.data;
                entries.put(key.substring(prefix.length()), data);
            }
        }
        return entries;
    }

    /** The value of a key, or null when it is missing or has expired (then it is removed). */
    private Value live(String key) {
        Value value = values.get(key);
        if (value != null && value.expiresAt != null && value.expiresAt <= clock.getAsLong()) {
            values.remove(key);
            return null;
        }
        return value;
    }

    private static String string(Value value) {
        if (value.data instanceof String text) {
            return text;
        }
        throw new IllegalStateException(WRONG_TYPE);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Value value) {
        if (value.data instanceof List<?>) {
            return (List<String>) value.data;
        }
        throw new IllegalStateException(WRONG_TYPE);
    }

    private void removeIfEmpty(String key, List<String> list) {
        if (list.isEmpty()) {
            values.remove(key);
        }
    }
}
