package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calling plugin functions: results, in-place changes, errors, and {@code meta} (spec §2.4). */
class PluginVmCallTest {

    private final TestingPluginServices services = new TestingPluginServices();

    private PluginVm plugin(String indexJs) throws PluginLoadException {
        return load(js(indexJs), services);
    }

    /** Runs {@code body} as an async processEvent and returns its result as JSON. */
    private String run(String body) throws Exception {
        try (PluginVm vm =
                plugin("exports.processEvent = async (event, meta) => {\n" + body + "\n}")) {
            return vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        }
    }

    @Test
    void returnsANewEvent() throws Exception {
        try (PluginVm vm =
                plugin(
                        "exports.processEvent = (event) =>"
                                + " ({ ...event, properties: { ...event.properties, added: 1 } })")) {
            PluginVm.CallResult result = vm.call("processEvent", TIMEOUT, EVENT);
            assertThat(result.resultJson()).contains("\"added\":1");
            assertThat(result.returnedFirstArgument()).isFalse();
            assertThat(result.argumentsAfterJson()).containsExactly(EVENT);
        }
    }

    @Test
    void otherMethodsReturnTheirResultButNotTheirArguments() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.processEventBatch = (events) => {
                            for (const event of events) event.event = 'renamed'
                            return events
                        }
                        """)) {
            PluginVm.CallResult result = vm.call("processEventBatch", TIMEOUT, "[" + EVENT + "]");
            assertThat(result.returnedFirstArgument()).isTrue();
            assertThat(result.resultJson()).contains("\"event\":\"renamed\"");
            assertThat(result.argumentsAfterJson()).isEmpty();
        }
    }

    @Test
    void reportsChangesMadeInPlace() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.processEvent = (event) => {
                            delete event.distinct_id
                            event.properties.changed = true
                            return event
                        }
                        """)) {
            PluginVm.CallResult result = vm.call("processEvent", TIMEOUT, EVENT);
            assertThat(result.returnedFirstArgument()).isTrue();
            assertThat(result.argumentsAfterJson().get(0))
                    .isEqualTo(result.resultJson())
                    .contains("\"changed\":true")
                    .doesNotContain("distinct_id");
        }
    }

    @Test
    void nullAndUndefinedResultsAreNull() throws Exception {
        assertThat(run("return null")).isNull();
        assertThat(run("return undefined")).isNull();
        assertThat(run("return 0")).isEqualTo("0");
    }

    @Test
    void awaitsStorageAndCache() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.processEvent = async (event, { storage, cache }) => {
                            const count = (await storage.get('count', 0)) + 1
                            await storage.set('count', count)
                            await cache.set('last', { event: event.event }, 60)
                            event.properties.count = count
                            event.properties.last = (await cache.get('last')).event
                            return event
                        }
                        """)) {
            vm.call("processEvent", TIMEOUT, EVENT);
            String result = vm.call("processEvent", TIMEOUT, EVENT).resultJson();
            assertThat(result).contains("\"count\":2", "\"last\":\"$pageview\"");
            assertThat(services.storage).containsEntry("count", "2");
            assertThat(services.cache).containsEntry("last", "{\"event\":\"$pageview\"}");
            assertThat(services.cacheTtls).containsEntry("last", 60L);
        }
    }

    @Test
    void storageDeletesAndDefaults() throws Exception {
        services.storage.put("gone", "1");
        assertThat(
                        run(
                                """
                                await meta.storage.set('kept', { a: [1] })
                                await meta.storage.set('gone', undefined)
                                await meta.storage.del('kept')
                                return [await meta.storage.get('gone', 'default'), await meta.storage.get('kept')]
                                """))
                .isEqualTo("[\"default\",null]");
        assertThat(services.storage).isEmpty();
    }

    @Test
    void cacheGetReturnsTheDefaultForAMissingKey() throws Exception {
        services.cache.put("broken", "{not json");
        services.cache.put("raw", "text");
        assertThat(
                        run(
                                """
                                return [
                                    await meta.cache.get('missing', 'fallback'),
                                    await meta.cache.get('broken', 'fallback'),
                                    await meta.cache.get('raw', null, { jsonSerialize: false }),
                                    await meta.cache.set('plain', 5, undefined, { jsonSerialize: false }),
                                    await meta.cache.incr('counter'),
                                    await meta.cache.incr('counter'),
                                    await meta.cache.expire('counter', 10),
                                ]
                                """))
                .isEqualTo("[\"fallback\",null,\"text\",null,1,2,true]");
        assertThat(services.cache).containsEntry("plain", "5");
        assertThat(services.cacheTtls).containsEntry("counter", 10L);
    }

    @Test
    void cacheListsFollowTheOriginalRules() throws Exception {
        assertThat(
                        run(
                                """
                                const { cache } = meta
                                return [
                                    await cache.lpush('list', 'a'),
                                    await cache.lpush('list', [1, true]),
                                    await cache.lrange('list', 0, -1),
                                    await cache.llen('list'),
                                    await cache.lrem('list', 1, 'a'),
                                    await cache.lpop('list', 1),
                                    await cache.lpop('empty', 1),
                                ]
                                """))
                .isEqualTo("[1,3,[\"true\",\"1\",\"a\"],3,1,[\"true\"],null]");
        assertThat(run("return meta.cache.lpush('list', new Array(1001).fill('x')).catch(String)"))
                .isEqualTo(
                        "\"IllegalOperationError: Too many elements in array for cache.lpush."
                                + " Maximum: 1000\"");
        assertThat(run("return meta.cache.lpush('list', 5).catch(String)"))
                .isEqualTo("\"Error: cache.lpush expects a string value or an array of strings\"");
        assertThat(run("return meta.cache.lrange('list', '0', 1).catch(String)"))
                .isEqualTo(
                        "\"Error: cache.lrange expects a number for the start and end indexes\"");
    }

    @Test
    void cursorsLiveInStorage() throws Exception {
        assertThat(
                        run(
                                """
                                const { cursor } = meta.utils
                                await cursor.init('c', 10)
                                await cursor.init('c', 99)
                                return [await cursor.increment('c'), await cursor.increment('c', 5),
                                    await cursor.increment('fresh', 3), await meta.storage.get('c')]
                                """))
                .isEqualTo("[11,16,3,16]");
    }

    @Test
    void setupPluginSeesConfigAndKeepsGlobal() throws Exception {
        services.configJson = "{\"prefix\":\"pre-\"}";
        try (PluginVm vm =
                plugin(
                        """
                        exports.setupPlugin = ({ config, global }) => { global.prefix = config.prefix }
                        exports.processEvent = (event, { global }) => global.prefix + event.event
                        """)) {
            vm.call("setupPlugin", TIMEOUT);
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo("\"pre-$pageview\"");
        }
    }

    @Test
    void errorsCarryNameMessageStackAndTheChangedArguments() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.processEvent = (event) => {
                            event.properties.before = true
                            return event.missing.field
                        }
                        """)) {
            PluginCallException error =
                    catchThrowableOfType(
                            () -> vm.call("processEvent", TIMEOUT, EVENT),
                            PluginCallException.class);
            assertThat(error.errorName()).isEqualTo("TypeError");
            assertThat(error.getMessage()).contains("field");
            assertThat(error.stack()).contains("index.js:3");
            assertThat(error.argumentsAfterJson().get(0)).contains("\"before\":true");
        }
    }

    @Test
    void rejectedPromisesAndThrownValuesAreErrors() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        const { RetryError: ScaffoldRetryError } = require('@posthog/plugin-scaffold')
                        exports.processEvent = async (event) => {
                            if (event.event === 'retry') throw new ScaffoldRetryError('try later')
                            if (event.event === 'string') throw 'plain text'
                            return [RetryError === ScaffoldRetryError, new RetryError('x') instanceof Error,
                                String(new RetryError('x')), new RetryError('x').stack.split('\\n')[0]]
                        }
                        """)) {
            PluginCallException retry =
                    catchThrowableOfType(
                            () -> vm.call("processEvent", TIMEOUT, "{\"event\":\"retry\"}"),
                            PluginCallException.class);
            assertThat(retry.errorName()).isEqualTo("RetryError");
            assertThat(retry.getMessage()).isEqualTo("try later");

            PluginCallException string =
                    catchThrowableOfType(
                            () -> vm.call("processEvent", TIMEOUT, "{\"event\":\"string\"}"),
                            PluginCallException.class);
            assertThat(string.errorName()).isNull();
            assertThat(string.getMessage()).isEqualTo("plain text");
            assertThat(string.argumentsAfterJson()).containsExactly("{\"event\":\"string\"}");

            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo("[true,true,\"RetryError: x\",\"RetryError: x\"]");
        }
    }

    @Test
    void consoleFormatsLikeTheOriginal() throws Exception {
        run(
                """
                console.log('number =', 987)
                console.info({ 1: 'ein' })
                console.warn([99, 79])
                console.error(new Error('x'))
                console.debug()
                """);
        assertThat(services.logs)
                .containsExactly(
                        "LOG number = 987",
                        "INFO {\"1\":\"ein\"}",
                        "WARN [99,79]",
                        "ERROR Error: x",
                        "DEBUG ");
    }

    @Test
    void captureSendsTheEventAndProperties() throws Exception {
        run("await posthog.capture('signed up', { plan: 'free' }); await posthog.capture('bare')");
        assertThat(services.captures)
                .containsExactly(
                        "{\"event\":\"signed up\",\"properties\":{\"plan\":\"free\"}}",
                        "{\"event\":\"bare\",\"properties\":{}}");
    }

    @Test
    void metricsAggregateAsDeclared() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.metrics = { metric1: 'sum', metric2: 'max', metric3: 'MIN' }
                        exports.processEvent = (event, { metrics }) => {
                            metrics.metric1.increment(100)
                            metrics.metric1.increment(10)
                            metrics.metric1.increment(-10)
                            metrics.metric2.max(5)
                            metrics.metric2.max(10)
                            metrics.metric3.min(4)
                            metrics.metric3.min(1)
                            const errors = []
                            for (const bad of [() => metrics.nope, () => metrics.metric1.increment('1'), () => metrics.metric2.increment(1)]) {
                                try { bad() } catch (e) { errors.push(e.name + ': ' + e.message) }
                            }
                            return errors
                        }
                        """)) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo(
                            "[\"IllegalOperationError: Invalid metric name\","
                                    + "\"IllegalOperationError: Only numbers are allowed for"
                                    + " operations on metrics\","
                                    + "\"TypeError: metrics.metric2.increment is not a function\"]");
            assertThat(vm.drainMetrics())
                    .isEqualTo(Map.of("metric1", 100.0, "metric2", 10.0, "metric3", 1.0));
            assertThat(vm.drainMetrics()).isEmpty();
        }
    }

    @Test
    void jobsAreRecordedForTheCaller() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.jobs = { later: (payload, meta) => payload.n + Object.keys(meta).length }
                        exports.processEvent = async (event, { jobs }) => {
                            await jobs.later({ n: 1 }).runNow()
                            await jobs.later().runIn(2, 'minute')
                            await jobs.anyName({ n: 3 }).runAt(new Date('2030-01-02T03:04:05Z'))
                            return jobs.later({}).runIn(1, 'fortnight').catch((e) => e.message)
                        }
                        """)) {
            long before = Instant.now().toEpochMilli();
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo("\"Unknown time unit: fortnights\"");
            List<PluginVm.JobRequest> jobs = vm.drainJobRequests();
            assertThat(jobs).hasSize(3);
            assertThat(jobs.get(0)).isEqualTo(new PluginVm.JobRequest("later", "{\"n\":1}", null));
            assertThat(jobs.get(1).payloadJson()).isNull();
            assertThat(Instant.parse(jobs.get(1).runAtIso()).toEpochMilli() - before)
                    .isBetween(110_000L, 130_000L);
            assertThat(jobs.get(2))
                    .isEqualTo(
                            new PluginVm.JobRequest(
                                    "anyName", "{\"n\":3}", "2030-01-02T03:04:05.000Z"));
            assertThat(vm.callJob("later", TIMEOUT, "{\"n\":1}").resultJson()).isEqualTo("10");
        }
    }

    @Test
    void attachmentsAndGeoip() throws Exception {
        services.attachments.put(
                "file",
                new PluginServices.Attachment(
                        "text/csv", "a.csv", "a,é".getBytes(StandardCharsets.UTF_8)));
        assertThat(
                        run(
                                """
                                const { file } = meta.attachments
                                return [file.content_type, file.file_name, Array.from(file.contents),
                                    await meta.geoip.locate('1.1.1.1').catch((e) => e.message)]
                                """))
                .isEqualTo(
                        "[\"text/csv\",\"a.csv\",[97,44,195,169],"
                                + "\"IP location capabilities are not available in this PostHog"
                                + " instance!\"]");
    }

    @Test
    void urlFollowsTheWhatwgRules() throws Exception {
        assertThat(
                        run(
                                """
                                const url = new URL('HTTPS://User:pw@Example.COM:443/a/./b/../c?x=1&y=a+b#top')
                                url.searchParams.append('z', 'é &')
                                const relative = new URL('../d?q', 'http://h.org/a/b/c')
                                return [url.href, url.origin, url.host, url.pathname, url.searchParams.get('y'),
                                    relative.href, new URL('//other.org', 'https://h.org/x').href,
                                    new URL('http://0x7f.1/').hostname, new URL('mailto:a@b.c').pathname,
                                    new URLSearchParams({ a: '1 2', b: '/' }).toString(),
                                    (() => { try { new URL('/relative') } catch (e) { return e.name } })()]
                                """))
                .isEqualTo(
                        "[\"https://User:pw@example.com/a/c?x=1&y=a+b&z=%C3%A9+%26#top\","
                                + "\"https://example.com\",\"example.com\",\"/a/c\",\"a b\","
                                + "\"http://h.org/a/d?q\",\"https://other.org/\",\"127.0.0.1\","
                                + "\"a@b.c\",\"a=1+2&b=%2F\",\"TypeError\"]");
    }

    @Test
    void pluginsThatReplaceBuiltInsStillGetTheirResultsRead() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        exports.processEvent = (event) => {
                            JSON.stringify = () => 'hijacked'
                            JSON.parse = () => ({})
                            Object.assign = () => ({})
                            Reflect.apply = () => undefined
                            Promise.prototype.then = function () {}
                            Array.prototype[Symbol.iterator] = function* () {}
                            Object.defineProperty(Object.prototype, 'settled', { get: () => 'yes', set() {}, configurable: true })
                            return { kept: event.event }
                        }
                        """)) {
            for (int call = 0; call < 2; call++) {
                assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                        .isEqualTo("{\"kept\":\"$pageview\"}");
            }
        }
    }

    @Test
    void unknownMethodsAreTheCallersMistake() throws Exception {
        try (PluginVm vm = plugin("exports.processEvent = (e) => e")) {
            assertThatThrownBy(() -> vm.call("onEvent", TIMEOUT, EVENT))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
