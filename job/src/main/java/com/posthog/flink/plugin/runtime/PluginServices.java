package com.posthog.flink.plugin.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything plugin code reaches outside its context, for one plugin config: the Java side of
 * {@code meta} and of the globals. The runtime builds the JavaScript objects ({@code meta.storage},
 * {@code meta.cache}, {@code console}, {@code posthog}) on top of these calls and does the JSON
 * encoding itself, so implementations deal in text only.
 *
 * <p>Implementations: Postgres and Redis in the job, memory in {@code plugin-run} and unit tests.
 * Calls happen on the thread running the plugin; they may block.
 */
public interface PluginServices {

    /**
     * {@code meta.config}: {@code posthog_pluginconfig.config} as JSON text ({@code {}} if none).
     */
    String configJson();

    /** {@code meta.attachments}: by key. */
    Map<String, Attachment> attachments();

    /**
     * A {@code console.*} call or a system message, for the plugin log.
     *
     * @param type {@code DEBUG}, {@code LOG}, {@code INFO}, {@code WARN} or {@code ERROR}
     * @param message the arguments as the original joined them (spec §2.9)
     */
    void log(String type, String message);

    /**
     * A SYSTEM entry of the plugin log, e.g. the progress of a historical export. The default
     * writes it as a {@code console} entry would be.
     */
    default void systemLog(String type, String message) {
        log(type, message);
    }

    // --- historical export (spec §2.6), reading the team's stored events

    /** Why a historical export cannot run where there is no event database. */
    String HISTORY_UNAVAILABLE =
            "Exporting historical events needs the events database: run the plugin in the job.";

    /**
     * @return {@code {"min": ms, "max": ms}} of the team's stored events, nulls when it has none
     */
    default String historyBounds() throws Exception {
        throw new IllegalStateException(HISTORY_UNAVAILABLE);
    }

    /**
     * @return a JSON array of at most {@code limit} of the team's events stored in {@code [fromMs,
     *     fromMs + intervalMs)}, skipping {@code offset}, as plugin events
     */
    default String historyEvents(long fromMs, long intervalMs, long offset, long limit)
            throws Exception {
        throw new IllegalStateException(HISTORY_UNAVAILABLE);
    }

    // --- posthog.api (spec §2.4)

    /** Why {@code posthog.api} needs its keys given where there is no PostHog database. */
    String API_KEYS_UNAVAILABLE =
            "posthog.api has no default keys here (no PostHog database): pass projectApiKey and personalApiKey.";

    /**
     * The default credentials of {@code posthog.api}: {@code {"token": <the team's api_token>,
     * "personalApiKey": <the organization's bot user key>}} as JSON text.
     */
    default String apiCredentials() throws Exception {
        throw new IllegalStateException(API_KEYS_UNAVAILABLE);
    }

    // --- meta.storage (posthog_pluginstorage, per plugin config); values are JSON text

    /**
     * @return the stored JSON text, or null when the key is missing
     */
    String storageGet(String key) throws Exception;

    void storageSet(String key, String json) throws Exception;

    void storageDel(String key) throws Exception;

    // --- meta.cache (Redis, per plugin and team; the key prefix is the implementation's)

    /**
     * @return the value, or null when the key is missing
     */
    String cacheGet(String key) throws Exception;

    /**
     * @param ttlSeconds null or 0 for no expiry
     */
    void cacheSet(String key, String value, Long ttlSeconds) throws Exception;

    long cacheIncr(String key) throws Exception;

    boolean cacheExpire(String key, long ttlSeconds) throws Exception;

    long cacheLpush(String key, List<String> values) throws Exception;

    List<String> cacheLrange(String key, long start, long end) throws Exception;

    long cacheLlen(String key) throws Exception;

    long cacheLrem(String key, long count, String value) throws Exception;

    /**
     * @return the popped values (empty when none)
     */
    List<String> cacheLpop(String key, long count) throws Exception;

    // --- posthog.capture

    /**
     * An event a plugin captured; it re-enters {@code events_plugin_ingestion}.
     *
     * @param eventJson {@code {"event": …, "properties": {…}}} as the plugin passed it, JSON text
     */
    void capture(String eventJson) throws Exception;

    // --- meta.geoip (spec §2.4)

    /** The error of {@code meta.geoip.locate} without a database, word for word the original's. */
    String GEOIP_UNAVAILABLE =
            "IP location capabilities are not available in this PostHog instance!";

    /**
     * {@code meta.geoip.locate(ip)}: the MaxMind City record as JSON text, shaped as the original's
     * Node reader gave it (see {@code plugin.geoip.GeoIp}), or null for an invalid or unknown IP.
     *
     * <p>The default is a server without a database ({@code MMDB_PATH} empty, or {@code
     * DISABLE_MMDB}): it throws {@link #GEOIP_UNAVAILABLE}, which the plugin sees as an {@code
     * Error} with that message.
     */
    default String geoipLocate(String ip) throws Exception {
        throw new IllegalStateException(GEOIP_UNAVAILABLE);
    }

    /**
     * Whether {@code meta.geoip} exists at all. The server always has it (its {@code locate} may
     * throw, above); only {@code plugin-run} without {@code --mmdb} leaves it out (CONTRACTS.md),
     * so that plugins see what they would on a PostHog without GeoIP.
     */
    default boolean hasGeoip() {
        return true;
    }

    // --- the clock

    /**
     * The time plugin code reads from {@code Date.now()}, {@code new Date()} and {@code Date()}, in
     * Unix milliseconds, or null for the real clock. The job uses the real clock; {@code
     * plugin-run} fixes it ({@code --now}), so that a run is repeatable.
     */
    default java.util.function.LongSupplier fixedClock() {
        return null;
    }

    // --- fetch (the global, node-fetch)

    /**
     * One {@code fetch} of the plugin, redirects included, blocking until the whole response is in.
     * The default is the real HTTP client, {@link HostFetch#fetch}; tests may answer instead.
     *
     * @throws FetchException what the plugin sees as node-fetch's {@code FetchError}; any other
     *     exception is reported to it as {@code request to <url> failed, reason: <message>}
     */
    default FetchResponse fetch(FetchRequest request) throws Exception {
        return HostFetch.fetch(request);
    }

    /**
     * A plugin's HTTP request, normalised by the runtime as node-fetch does.
     *
     * @param method uppercase
     * @param url absolute http or https, as the WHATWG URL parser serialises it
     * @param headers name and value pairs in order, defaults included ({@code Accept}, {@code
     *     User-Agent}, {@code Accept-Encoding}, {@code Content-Type})
     * @param givenHeaders how many of the first {@code headers} the plugin gave; the rest are the
     *     defaults (for {@code plugin-run --fetch-log})
     * @param body the body, or null for none
     * @param redirect {@code follow}, {@code manual} or {@code error}
     * @param follow the most redirects to follow
     * @param compress whether to decompress gzip and deflate bodies
     * @param timeout for the whole request: the plugin's {@code timeout} or {@link
     *     HostFetch#DEFAULT_TIMEOUT}, never past the call's own deadline
     * @param maxBodyBytes past this the fetch fails ({@code max-size})
     */
    record FetchRequest(
            String method,
            String url,
            List<String[]> headers,
            int givenHeaders,
            byte[] body,
            String redirect,
            int follow,
            boolean compress,
            Duration timeout,
            long maxBodyBytes) {}

    /**
     * The response of a {@link #fetch}.
     *
     * @param url the URL that answered, after redirects
     * @param redirected whether a redirect was followed
     * @param headers lowercase name and value pairs, one per value
     * @param body the whole body, decompressed
     */
    record FetchResponse(
            int status,
            String statusText,
            String url,
            boolean redirected,
            List<String[]> headers,
            byte[] body) {}

    /** An attachment of a plugin config. */
    record Attachment(String contentType, String fileName, byte[] contents) {}
}
