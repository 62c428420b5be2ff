package com.posthog.flink.plugin.corpus;

import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.runtime.PluginServices;
import com.posthog.flink.plugin.services.DefaultPluginServices;
import com.posthog.flink.plugin.services.MemoryPluginCache;
import com.posthog.flink.plugin.services.MemoryPluginStorage;
import com.posthog.flink.plugin.services.PluginLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The services of one plugin config as {@code plugin-run} composes them (memory storage, a memory
 * cache that honours TTLs on a clock the test moves), plus {@code meta.geoip} from a lookup the
 * test chooses: a {@code GeoIp} of the test database, none (the server without a database), or none
 * at all ({@code meta.geoip} absent).
 */
final class CorpusServices implements PluginServices {

    /** The simulated time, Unix milliseconds; the cache's TTLs count on it. */
    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    final List<PluginLogEntry> logs = new ArrayList<>();
    private final DefaultPluginServices delegate;
    private final UnaryOperator<String> geoip;
    private final boolean hasGeoip;

    private CorpusServices(String configJson, UnaryOperator<String> geoip, boolean hasGeoip) {
        this.delegate =
                new DefaultPluginServices(
                        new PluginConfigRow(1, 2L, 1, true, 0, configJson, null),
                        Map.of(),
                        "corpus-test",
                        new MemoryPluginStorage(),
                        new MemoryPluginCache(clock::get),
                        logs::add,
                        capture -> {});
        this.geoip = geoip;
        this.hasGeoip = hasGeoip;
    }

    /** With {@code meta.geoip} as a server without a database has it: {@code locate} throws. */
    static CorpusServices withConfig(String configJson) {
        return new CorpusServices(configJson, null, true);
    }

    /**
     * @param geoip {@code meta.geoip.locate}: IP to the record's JSON, or null
     */
    static CorpusServices withGeoip(UnaryOperator<String> geoip) {
        return new CorpusServices("{}", geoip, true);
    }

    /** With no {@code meta.geoip} at all, as {@code plugin-run} without {@code --mmdb}. */
    static CorpusServices withoutGeoip() {
        return new CorpusServices("{}", null, false);
    }

    @Override
    public String geoipLocate(String ip) throws Exception {
        return geoip == null ? PluginServices.super.geoipLocate(ip) : geoip.apply(ip);
    }

    @Override
    public boolean hasGeoip() {
        return hasGeoip;
    }

    // --- the rest as plugin-run has it

    @Override
    public String configJson() {
        return delegate.configJson();
    }

    @Override
    public Map<String, Attachment> attachments() {
        return delegate.attachments();
    }

    @Override
    public void log(String type, String message) {
        delegate.log(type, message);
    }

    @Override
    public String storageGet(String key) throws Exception {
        return delegate.storageGet(key);
    }

    @Override
    public void storageSet(String key, String json) throws Exception {
        delegate.storageSet(key, json);
    }

    @Override
    public void storageDel(String key) throws Exception {
        delegate.storageDel(key);
    }

    @Override
    public String cacheGet(String key) {
        return delegate.cacheGet(key);
    }

    @Override
    public void cacheSet(String key, String value, Long ttlSeconds) {
        delegate.cacheSet(key, value, ttlSeconds);
    }

    @Override
    public long cacheIncr(String key) {
        return delegate.cacheIncr(key);
    }

    @Override
    public boolean cacheExpire(String key, long ttlSeconds) {
        return delegate.cacheExpire(key, ttlSeconds);
    }

    @Override
    public long cacheLpush(String key, List<String> values) {
        return delegate.cacheLpush(key, values);
    }

    @Override
    public List<String> cacheLrange(String key, long start, long end) {
        return delegate.cacheLrange(key, start, end);
    }

    @Override
    public long cacheLlen(String key) {
        return delegate.cacheLlen(key);
    }

    @Override
    public long cacheLrem(String key, long count, String value) {
        return delegate.cacheLrem(key, count, value);
    }

    @Override
    public List<String> cacheLpop(String key, long count) {
        return delegate.cacheLpop(key, count);
    }

    @Override
    public void capture(String eventJson) {
        delegate.capture(eventJson);
    }
}
