package com.posthog.flink.plugin.services;

import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.runtime.PluginServices;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one plugin config, composed from parts the caller chooses: Postgres storage and
 * Redis cache in the job, memory ones in {@code plugin-run} and tests; log entries and captured
 * events go to sinks the caller drains (side outputs in the job).
 *
 * <p>A config without a team still runs (its cache is scoped {@code @all}), but its log entries
 * cannot be stored, as the plugin log is per team; they go to this process's log instead.
 *
 * <p>Not final: {@code plugin-run} overrides {@code fetch} and the clock.
 */
public class DefaultPluginServices implements PluginServices {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPluginServices.class);

    private final PluginConfigRow config;
    private final Map<String, Attachment> attachments;
    private final String instanceId;
    private final PluginStorage storage;
    private final PluginCache cache;
    private final Consumer<PluginLogEntry> logSink;
    private final Consumer<String> captureSink;
    private final GeoIp geoIp;
    private final boolean geoipInMeta;
    private final EventHistory history;
    private final PluginApiKeys apiKeys;

    /**
     * @param instanceId the UUIDT of this process, written on every log entry
     * @param logSink receives every plugin log entry
     * @param captureSink receives each {@code posthog.capture} call's event JSON
     */
    public DefaultPluginServices(
            PluginConfigRow config,
            Map<String, Attachment> attachments,
            String instanceId,
            PluginStorage storage,
            PluginCache cache,
            Consumer<PluginLogEntry> logSink,
            Consumer<String> captureSink) {
        this(
                config,
                attachments,
                instanceId,
                storage,
                cache,
                logSink,
                captureSink,
                null,
                true,
                null,
                null);
    }

    /**
     * @param geoIp the GeoIP database behind {@code meta.geoip.locate}, or null: {@code locate}
     *     then throws the original's "not available" error
     * @param geoipInMeta whether {@code meta.geoip} exists at all ({@code plugin-run} without
     *     {@code --mmdb} leaves it out)
     * @param history the stored events for the historical export, or null where there are none
     *     ({@code plugin-run}): the export's jobs then fail saying so
     * @param apiKeys the default keys of {@code posthog.api}, or null where there is no PostHog
     *     database: the plugin must then pass its own
     */
    public DefaultPluginServices(
            PluginConfigRow config,
            Map<String, Attachment> attachments,
            String instanceId,
            PluginStorage storage,
            PluginCache cache,
            Consumer<PluginLogEntry> logSink,
            Consumer<String> captureSink,
            GeoIp geoIp,
            boolean geoipInMeta,
            EventHistory history,
            PluginApiKeys apiKeys) {
        this.config = config;
        this.attachments = Map.copyOf(attachments);
        this.instanceId = instanceId;
        this.storage = storage;
        this.cache = cache;
        this.logSink = logSink;
        this.captureSink = captureSink;
        this.geoIp = geoIp;
        this.geoipInMeta = geoipInMeta;
        this.history = history;
        this.apiKeys = apiKeys;
    }

    @Override
    public String geoipLocate(String ip) throws Exception {
        return geoIp == null ? PluginServices.super.geoipLocate(ip) : geoIp.locate(ip);
    }

    @Override
    public boolean hasGeoip() {
        return geoipInMeta;
    }

    @Override
    public String configJson() {
        return config.configJson() == null ? "{}" : config.configJson();
    }

    @Override
    public Map<String, Attachment> attachments() {
        return attachments;
    }

    /** A {@code console.*} call: source CONSOLE, now. */
    @Override
    public void log(String type, String message) {
        log(
                PluginLogEntry.Source.CONSOLE,
                PluginLogEntry.Type.valueOf(type),
                message,
                System.currentTimeMillis());
    }

    /**
     * A message of the runtime itself: source SYSTEM, prefixed with the instance id as the
     * original.
     */
    @Override
    public void systemLog(String type, String message) {
        log(
                PluginLogEntry.Source.SYSTEM,
                PluginLogEntry.Type.valueOf(type),
                "(" + instanceId + ") " + message,
                System.currentTimeMillis());
    }

    @Override
    public String apiCredentials() throws Exception {
        return apiKeys == null
                ? PluginServices.super.apiCredentials()
                : apiKeys.credentials(teamId());
    }

    @Override
    public String historyBounds() throws Exception {
        return history == null ? PluginServices.super.historyBounds() : history.bounds(teamId());
    }

    @Override
    public String historyEvents(long fromMs, long intervalMs, long offset, long limit)
            throws Exception {
        return history == null
                ? PluginServices.super.historyEvents(fromMs, intervalMs, offset, limit)
                : history.events(teamId(), fromMs, intervalMs, offset, limit);
    }

    private long teamId() {
        if (config.teamId() == null) {
            throw new IllegalStateException(
                    "Plugin config " + config.id() + " belongs to no team.");
        }
        return config.teamId();
    }

    /**
     * Any entry of this config's plugin log: SYSTEM for lifecycle messages ({@code Plugin loaded
     * (instance ID …).}), PLUGIN with the error's time for a recorded error.
     */
    public void log(
            PluginLogEntry.Source source,
            PluginLogEntry.Type type,
            String message,
            long timestamp) {
        if (config.teamId() == null) {
            LOG.info("Plugin config {} ({} {}): {}", config.id(), source, type, message);
            return;
        }
        logSink.accept(
                PluginLogEntry.create(
                        config.teamId(),
                        config.pluginId(),
                        config.id(),
                        timestamp,
                        source,
                        type,
                        message,
                        instanceId));
    }

    @Override
    public String storageGet(String key) throws SQLException {
        return storage.get(config.id(), key);
    }

    @Override
    public void storageSet(String key, String json) throws SQLException {
        storage.set(config.id(), key, json);
    }

    @Override
    public void storageDel(String key) throws SQLException {
        storage.del(config.id(), key);
    }

    @Override
    public String cacheGet(String key) {
        return cache.get(scoped(key));
    }

    @Override
    public void cacheSet(String key, String value, Long ttlSeconds) {
        cache.set(scoped(key), value, ttlSeconds);
    }

    @Override
    public long cacheIncr(String key) {
        return cache.incr(scoped(key));
    }

    @Override
    public boolean cacheExpire(String key, long ttlSeconds) {
        return cache.expire(scoped(key), ttlSeconds);
    }

    @Override
    public long cacheLpush(String key, List<String> values) {
        return cache.lpush(scoped(key), values);
    }

    @Override
    public List<String> cacheLrange(String key, long start, long end) {
        return cache.lrange(scoped(key), start, end);
    }

    @Override
    public long cacheLlen(String key) {
        return cache.llen(scoped(key));
    }

    @Override
    public long cacheLrem(String key, long count, String value) {
        return cache.lrem(scoped(key), count, value);
    }

    @Override
    public List<String> cacheLpop(String key, long count) {
        return cache.lpop(scoped(key), count);
    }

    @Override
    public void capture(String eventJson) {
        captureSink.accept(eventJson);
    }

    private String scoped(String key) {
        return PluginCache.key(config.pluginId(), config.teamId(), key);
    }
}
