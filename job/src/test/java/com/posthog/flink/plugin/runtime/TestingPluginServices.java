package com.posthog.flink.plugin.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * In-memory {@link PluginServices} for unit tests: maps for storage and cache, lists for output.
 */
final class TestingPluginServices implements PluginServices {

    String configJson = "{}";
    final Map<String, Attachment> attachments = new HashMap<>();

    /** Log entries as {@code "TYPE message"}. */
    final List<String> logs = new ArrayList<>();

    final List<String> captures = new ArrayList<>();
    final Map<String, String> storage = new HashMap<>();
    final Map<String, String> cache = new HashMap<>();
    final Map<String, Long> cacheTtls = new HashMap<>();
    final Map<String, LinkedList<String>> lists = new HashMap<>();

    /** {@code meta.geoip.locate}: IP to record JSON; null for the default (no database). */
    UnaryOperator<String> geoip;

    boolean hasGeoip = true;

    /** {@code fetch}: answers instead of the network when set. */
    FetchHandler fetchHandler;

    /** Every {@code fetch} request, answered or not. */
    final List<FetchRequest> fetchRequests = new ArrayList<>();

    /** {@code posthog.api}'s default credentials as JSON; null for the default (none). */
    String apiCredentials;

    /** The clock plugin code reads ({@code plugin-run --now}); null for the real one. */
    java.util.function.LongSupplier fixedClock;

    @Override
    public String apiCredentials() throws Exception {
        return apiCredentials == null ? PluginServices.super.apiCredentials() : apiCredentials;
    }

    interface FetchHandler {
        FetchResponse fetch(FetchRequest request) throws Exception;
    }

    @Override
    public String configJson() {
        return configJson;
    }

    @Override
    public Map<String, Attachment> attachments() {
        return attachments;
    }

    @Override
    public void log(String type, String message) {
        logs.add(type + " " + message);
    }

    @Override
    public String storageGet(String key) {
        return storage.get(key);
    }

    @Override
    public void storageSet(String key, String json) {
        storage.put(key, json);
    }

    @Override
    public void storageDel(String key) {
        storage.remove(key);
    }

    @Override
    public String cacheGet(String key) {
        return cache.get(key);
    }

    @Override
    public void cacheSet(String key, String value, Long ttlSeconds) {
        cache.put(key, value);
        cacheTtls.put(key, ttlSeconds);
    }

    @Override
    public long cacheIncr(String key) {
        long value = Long.parseLong(cache.getOrDefault(key, "0")) + 1;
        cache.put(key, Long.toString(value));
        return value;
    }

    @Override
    public boolean cacheExpire(String key, long ttlSeconds) {
        if (!cache.containsKey(key) && !lists.containsKey(key)) {
            return false;
        }
        cacheTtls.put(key, ttlSeconds);
        return true;
    }

    @Override
    public long cacheLpush(String key, List<String> values) {
        LinkedList<String> list = lists.computeIfAbsent(key, k -> new LinkedList<>());
        values.forEach(list::addFirst);
        return list.size();
    }

    @Override
    public List<String> cacheLrange(String key, long start, long end) {
        List<String> list = lists.getOrDefault(key, new LinkedList<>());
        int size = list.size();
        int from = (int) Math.max(0, start < 0 ? size + start : start);
        int to = (int) Math.min(size - 1, end < 0 ? size + end : end);
        return from > to ? List.of() : List.copyOf(list.subList(from, to + 1));
    }

    @Override
    public long cacheLlen(String key) {
        return lists.getOrDefault(key, new LinkedList<>()).size();
    }

    @Override
    public long cacheLrem(String key, long count, String value) {
        LinkedList<String> list = lists.getOrDefault(key, new LinkedList<>());
        long removed = 0;
        while ((count == 0 || removed < Math.abs(count)) && list.remove(value)) {
            removed++;
        }
        return removed;
    }

    @Override
    public List<String> cacheLpop(String key, long count) {
        LinkedList<String> list = lists.getOrDefault(key, new LinkedList<>());
        List<String> popped = new ArrayList<>();
        while (popped.size() < count && !list.isEmpty()) {
            popped.add(list.removeFirst());
        }
        return popped;
    }

    @Override
    public void capture(String eventJson) {
        captures.add(eventJson);
    }

    @Override
    public String geoipLocate(String ip) throws Exception {
        return geoip == null ? PluginServices.super.geoipLocate(ip) : geoip.apply(ip);
    }

    @Override
    public boolean hasGeoip() {
        return hasGeoip;
    }

    @Override
    public java.util.function.LongSupplier fixedClock() {
        return fixedClock;
    }

    @Override
    public FetchResponse fetch(FetchRequest request) throws Exception {
        fetchRequests.add(request);
        return fetchHandler == null
                ? PluginServices.super.fetch(request)
                : fetchHandler.fetch(request);
    }
}
