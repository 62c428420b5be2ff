package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The global {@code fetch} (node-fetch 2) against a loopback HTTP server: responses, request bodies
 * and headers, failures worded as node-fetch's, size and time limits, redirects, and the same
 * function from {@code require} and {@code import} (spec §7.2 scenario 63).
 */
class PluginVmFetchTest {

    private static final String JSON_BODY = "{\"hello\":\"world\",\"n\":1}";

    private static HttpServer server;
    private static ExecutorService executor;
    private static String base;

    /** Released when the class is done: what {@code /silent} waits for. */
    private static final CountDownLatch SILENCE = new CountDownLatch(1);

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

    private final TestingPluginServices services = new TestingPluginServices();

    /** A request the server saw; header names as the JDK's server gives them (Capitalised). */
    private record Received(
            String method, String path, Map<String, List<String>> headers, String body) {}

    @BeforeAll
    static void startServer() throws IOException {
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext(
                "/json",
                exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.getResponseHeaders().add("X-Custom", "one");
                    exchange.getResponseHeaders().add("X-Custom", "two");
                    respond(exchange, 200, JSON_BODY);
                });
        server.createContext(
                "/echo",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    RECEIVED.add(
                            new Received(
                                    exchange.getRequestMethod(),
                                    exchange.getRequestURI().toString(),
                                    Map.copyOf(exchange.getRequestHeaders()),
                                    body));
                    respond(exchange, 201, "received " + body.length());
                });
        server.createContext("/error", exchange -> respond(exchange, 500, "boom"));
        server.createContext(
                "/count",
                exchange -> {
                    COUNTS.computeIfAbsent(
                                    exchange.getRequestURI().toString(), k -> new AtomicInteger())
                            .incrementAndGet();
                    respond(exchange, 200, "counted");
                });
        server.createContext(
                "/bytes",
                exchange -> {
                    // ?n=<size>[&declared]: chunked unless declared.
                    String query = exchange.getRequestURI().getQuery();
                    int size = Integer.parseInt(query.replaceAll("n=(\\d+).*", "$1"));
                    exchange.sendResponseHeaders(200, query.contains("declared") ? size : 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        byte[] chunk = new byte[64 * 1024];
                        java.util.Arrays.fill(chunk, (byte) 'x');
                        for (int left = size; left > 0; left -= chunk.length) {
                            out.write(chunk, 0, Math.min(left, chunk.length));
                        }
                    } catch (IOException e) {
                        // The client gave up past its limit.
                    }
                });
        server.createContext(
                "/silent",
                exchange -> {
                    try {
                        SILENCE.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                });
        server.createContext(
                "/redirect",
                exchange -> {
                    // ?status=<code>&to=<path>
                    Map<String, String> query = query(exchange.getRequestURI());
                    exchange.getResponseHeaders().add("Location", query.get("to"));
                    respond(exchange, Integer.parseInt(query.getOrDefault("status", "302")), "");
                });
        server.createContext(
                "/loop",
                exchange -> {
                    exchange.getResponseHeaders().add("Location", "/loop");
                    respond(exchange, 302, "");
                });
        server.createContext(
                "/gzip",
                exchange -> {
                    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                        gzip.write(JSON_BODY.getBytes(StandardCharsets.UTF_8));
                    }
                    exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                    exchange.sendResponseHeaders(200, zipped.size());
                    try (OutputStream out = exchange.getResponseBody()) {
                        zipped.writeTo(out);
                    }
                });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        SILENCE.countDown();
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void configure() {
        services.configJson = "{\"base\":\"" + base + "\"}";
        RECEIVED.clear();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> result = new ConcurrentHashMap<>();
        for (String pair : uri.getQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            result.put(parts[0], parts[1]);
        }
        return result;
    }

    /** Runs {@code body} as an async processEvent with {@code base} bound to the server's URL. */
    private String run(String body) throws Exception {
        try (PluginVm vm = plugin(body)) {
            return vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        }
    }

    private PluginVm plugin(String body) throws PluginLoadException {
        return load(
                js(
                        "exports.processEvent = async (event, meta) => {\n"
                                + "const base = meta.config.base\n"
                                + "const failure = (e) => [e.name, e.type, e.code, e.message]\n"
                                + body
                                + "\n}"),
                services);
    }

    @Test
    void getsJson() throws Exception {
        assertThat(
                        run(
                                """
                                const response = await fetch(base + '/json')
                                return [response.status, response.ok, response.statusText, response.url, response.redirected,
                                    response.headers.get('CONTENT-TYPE'), response.headers.get('x-custom'),
                                    response.headers.has('X-Custom'), await response.json()]
                                """))
                .isEqualTo(
                        "[200,true,\"OK\",\""
                                + base
                                + "/json\",false,\"application/json\",\"one, two\",true,"
                                + JSON_BODY
                                + "]");
    }

    @Test
    void postsTheBodyAndHeaders() throws Exception {
        assertThat(
                        run(
                                """
                                const responses = [
                                    await fetch(base + '/echo', { method: 'post', body: JSON.stringify({ a: 'é' }),
                                        headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'secret' } }),
                                    await fetch(base + '/echo', { method: 'PUT', body: Buffer.from([1, 2, 3]),
                                        headers: [['X-Pair', '1'], ['X-Pair', '2']] }),
                                    await fetch(base + '/echo', { method: 'POST', body: new URLSearchParams({ q: 'a b', r: '1' }) }),
                                    await fetch(base + '/echo', { method: 'POST', body: 'plain' }),
                                ]
                                return Promise.all(responses.map(async (r) => [r.status, await r.text()]))
                                """))
                .isEqualTo(
                        "[[201,\"received 9\"],[201,\"received 3\"],[201,\"received 9\"],"
                                + "[201,\"received 5\"]]");
        assertThat(RECEIVED).hasSize(4);
        Received json = RECEIVED.get(0);
        assertThat(json.method()).isEqualTo("POST");
        assertThat(json.body()).isEqualTo("{\"a\":\"é\"}");
        assertThat(json.headers())
                .containsEntry("Content-type", List.of("application/json"))
                .containsEntry("X-api-key", List.of("secret"))
                .containsEntry("Accept", List.of("*/*"))
                .containsEntry("Accept-encoding", List.of("gzip,deflate"))
                .containsEntry(
                        "User-agent",
                        List.of("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"));
        assertThat(RECEIVED.get(1).method()).isEqualTo("PUT");
        assertThat(RECEIVED.get(1).headers().get("X-pair")).containsExactly("1", "2");
        assertThat(RECEIVED.get(2).body()).isEqualTo("q=a+b&r=1");
        assertThat(RECEIVED.get(2).headers())
                .containsEntry(
                        "Content-type", List.of("application/x-www-form-urlencoded;charset=UTF-8"));
        assertThat(RECEIVED.get(3).headers())
                .containsEntry("Content-type", List.of("text/plain;charset=UTF-8"));
    }

    @Test
    void takesUrlObjectsAndCharactersTheJdkRefuses() throws Exception {
        assertThat(
                        run(
                                """
                                const url = new URL(base + '/echo/a|b?filter[name]={"a":1}')
                                return (await fetch(url, { method: 'POST', body: 'x' })).status
                                """))
                .isEqualTo("201");
        assertThat(RECEIVED.get(0).path()).isEqualTo("/echo/a%7Cb?filter[name]=%7B%22a%22:1%7D");
    }

    @Test
    void anErrorStatusIsNotOk() throws Exception {
        assertThat(
                        run(
                                """
                                const response = await fetch(base + '/error')
                                return [response.status, response.ok, response.statusText, await response.text()]
                                """))
                .isEqualTo("[500,false,\"Internal Server Error\",\"boom\"]");
    }

    @Test
    void invalidJsonRejectsAndABodyReadsOnce() throws Exception {
        assertThat(
                        run(
                                """
                                const response = await fetch(base + '/error')
                                const [name, type] = await response.json().catch(failure)
                                return [name, type, await response.text().catch((e) => e.name + ': ' + e.message),
                                    response.bodyUsed]
                                """))
                .isEqualTo(
                        "[\"FetchError\",\"invalid-json\",\"TypeError: body used already for: "
                                + base
                                + "/error\",true]");
    }

    @Test
    void bodiesAsBuffersAndArrayBuffers() throws Exception {
        assertThat(
                        run(
                                """
                                const buffer = await (await fetch(base + '/json')).buffer()
                                const arrayBuffer = await (await fetch(base + '/json')).arrayBuffer()
                                const big = await (await fetch(base + '/bytes?n=2000000')).buffer()
                                return [Buffer.isBuffer(buffer), JSON.parse(buffer).hello, arrayBuffer instanceof ArrayBuffer,
                                    arrayBuffer.byteLength, big.length, big[1999999]]
                                """))
                .isEqualTo("[true,\"world\",true,23,2000000,120]");
    }

    @Test
    void aRefusedConnectionRejectsWithAFetchError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(run("return fetch('http://127.0.0.1:" + port + "/x').catch(failure)"))
                .isEqualTo(
                        "[\"FetchError\",\"system\",\"ECONNREFUSED\",\"request to http://127.0.0.1:"
                                + port
                                + "/x failed, reason: connect ECONNREFUSED 127.0.0.1:"
                                + port
                                + "\"]");
    }

    @Test
    void anUnknownHostRejectsWithAFetchError() throws Exception {
        assertThat(run("return fetch('http://no-such-host.invalid/').catch(failure)"))
                .isEqualTo(
                        "[\"FetchError\",\"system\",\"ENOTFOUND\",\"request to"
                                + " http://no-such-host.invalid/ failed, reason: getaddrinfo"
                                + " ENOTFOUND no-such-host.invalid\"]");
    }

    @Test
    void aBodyPastTheLimitRejects() throws Exception {
        long limit = HostFetch.MAX_BODY_BYTES;
        assertThat(
                        run(
                                """
                                return [
                                    await fetch(base + '/bytes?n=2000&declared', { size: 1000 }).catch(failure),
                                    await fetch(base + '/bytes?n=2000', { size: 1000 }).catch(failure),
                                    await fetch(base + '/bytes?n=%d').catch(failure),
                                    (await (await fetch(base + '/bytes?n=1000', { size: 1000 })).text()).length,
                                ]
                                """
                                        .formatted(limit + 1)))
                .isEqualTo(
                        "[[\"FetchError\",\"max-size\",null,\"content size at %s/bytes?n=2000&declared over limit: 1000\"],"
                                        .formatted(base)
                                + "[\"FetchError\",\"max-size\",null,\"content size at %s/bytes?n=2000 over limit: 1000\"],"
                                        .formatted(base)
                                + "[\"FetchError\",\"max-size\",null,\"content size at %s/bytes?n=%d over limit: %d\"],1000]"
                                        .formatted(base, limit + 1, limit));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        long start = System.nanoTime();
        assertThat(run("return fetch(base + '/silent', { timeout: 300 }).catch(failure)"))
                .isEqualTo(
                        "[\"FetchError\",\"request-timeout\",null,\"network timeout at: "
                                + base
                                + "/silent\"]");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFetchNeverOutlivesTheCall() throws Exception {
        try (PluginVm vm =
                plugin(
                        """
                        if (event.event === 'normal') return (await fetch(base + '/json')).status
                        return fetch(base + '/silent').catch(failure)
                        """)) {
            long start = System.nanoTime();
            PluginCallException error =
                    catchThrowableOfType(
                            () -> vm.call("processEvent", Duration.ofSeconds(1), EVENT),
                            PluginCallException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(error.errorName()).isEqualTo(PluginCallException.TIMEOUT);
            assertThat(error.getMessage())
                    .isEqualTo("Script execution timed out after 1 second in processEvent");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();

            assertThat(vm.call("processEvent", TIMEOUT, "{\"event\":\"normal\"}").resultJson())
                    .isEqualTo("200");
        }
    }

    @Test
    void followsRedirectsAsNodeFetchDoes() throws Exception {
        assertThat(
                        run(
                                """
                                const followed = await fetch(base + '/redirect?status=301&to=/json')
                                const manual = await fetch(base + '/redirect?to=/json', { redirect: 'manual' })
                                await fetch(base + '/redirect?status=303&to=/echo', { method: 'POST', body: 'gone' })
                                await fetch(base + '/redirect?status=307&to=/echo', { method: 'POST', body: 'kept' })
                                return [followed.status, followed.redirected, followed.url, (await followed.json()).hello,
                                    manual.status, manual.headers.get('location'),
                                    await fetch(base + '/redirect?to=/json', { redirect: 'error' }).catch(failure),
                                    await fetch(base + '/loop', { follow: 3 }).catch(failure)]
                                """))
                .isEqualTo(
                        ("[200,true,\"%s/json\",\"world\",302,\"%s/json\","
                                        + "[\"FetchError\",\"no-redirect\",null,\"uri requested responds"
                                        + " with a redirect, redirect mode is set to error:"
                                        + " %s/redirect?to=/json\"],"
                                        + "[\"FetchError\",\"max-redirect\",null,\"maximum redirect"
                                        + " reached at: %s/loop\"]]")
                                .formatted(base, base, base, base));
        assertThat(RECEIVED)
                .extracting(Received::method, Received::body)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", ""),
                        org.assertj.core.groups.Tuple.tuple("POST", "kept"));
    }

    @Test
    void decompressesGzipBodies() throws Exception {
        assertThat(
                        run(
                                """
                                const response = await fetch(base + '/gzip')
                                return [response.headers.get('content-encoding'), await response.text()]
                                """))
                .isEqualTo("[\"gzip\"," + quoted(JSON_BODY) + "]");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }

    @Test
    void badRequestsRejectWithTypeErrors() throws Exception {
        assertThat(
                        run(
                                """
                                const attempt = (url, init) => {
                                    const promise = fetch(url, init)
                                    return promise instanceof Promise ? promise.then(() => 'resolved', (e) => e.name + ': ' + e.message) : 'threw'
                                }
                                return [
                                    await attempt('ftp://example.com/'),
                                    await attempt('/relative'),
                                    await attempt(base + '/json', { body: 'x' }),
                                    await attempt(base + '/json', { headers: { 'a b': '1' } }),
                                    await attempt(base + '/json', { headers: [['a']] }),
                                ]
                                """))
                .isEqualTo(
                        "[\"TypeError: Only HTTP(S) protocols are supported\","
                                + "\"TypeError: Only absolute URLs are supported\","
                                + "\"TypeError: Request with GET/HEAD method cannot have body\","
                                + "\"TypeError: a b is not a legal HTTP header name\","
                                + "\"TypeError: Each header pair must be a name/value tuple\"]");
    }

    @Test
    void headersAsNodeFetchHasThem() throws Exception {
        assertThat(
                        run(
                                """
                                const { Headers, Response } = require('node-fetch')
                                const headers = new Headers({ 'X-B': '2', 'x-a': '1' })
                                headers.append('x-b', '3')
                                const seen = []
                                headers.forEach((value, name) => seen.push(name + '=' + value))
                                const response = new Response('{"a":1}', { status: 404, headers: { 'X-Y': 'z' } })
                                return [seen, [...headers], [...headers.keys()], headers.raw()['X-B'], headers.get('nope'),
                                    Object.prototype.toString.call(headers), response.ok, response.status,
                                    response.headers.get('content-type'), await response.json()]
                                """))
                .isEqualTo(
                        "[[\"x-a=1\",\"x-b=2, 3\"],[[\"x-a\",\"1\"],[\"x-b\",\"2, 3\"]],"
                                + "[\"x-a\",\"x-b\"],[\"2\",\"3\"],null,\"[object Headers]\","
                                + "false,404,\"text/plain;charset=UTF-8\",{\"a\":1}]");
    }

    /** Spec §7.2 scenario 63. */
    @Test
    void theGlobalRequireAndImportAreOneFetch() throws Exception {
        try (PluginVm vm =
                load(
                        js(
                                """
                                import fetchImported from 'node-fetch'
                                const fetchRequired = require('node-fetch')
                                export async function processEvent(event, { config }) {
                                    const url = config.base + '/count?event=' + event.event
                                    await fetch(url)
                                    await fetchImported(url)
                                    await fetchRequired(url)
                                    return [fetch === fetchImported, fetchImported === fetchRequired]
                                }
                                """),
                        services)) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo("[true,true]");
        }
        assertThat(COUNTS).containsOnlyKeys("/count?event=$pageview");
        assertThat(COUNTS.get("/count?event=$pageview")).hasValue(3);
    }

    @Test
    void servicesCanAnswerInsteadOfTheNetwork() throws Exception {
        services.fetchHandler =
                request ->
                        new PluginServices.FetchResponse(
                                202,
                                "Accepted",
                                request.url(),
                                false,
                                List.<String[]>of(new String[] {"x-answer", "42"}),
                                "answered".getBytes(StandardCharsets.UTF_8));
        assertThat(
                        run(
                                """
                                const response = await fetch('HTTP://Example.COM/a b?q=é', { method: 'patch', body: 'hi', timeout: 60000 })
                                return [response.status, response.url, response.headers.get('X-Answer'), await response.text()]
                                """))
                .isEqualTo("[202,\"http://example.com/a%20b?q=%C3%A9\",\"42\",\"answered\"]");
        PluginServices.FetchRequest request = services.fetchRequests.get(0);
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(request.headers())
                .extracting(h -> h[0] + ": " + h[1])
                .containsExactly(
                        "Content-Type: text/plain;charset=UTF-8",
                        "Accept: */*",
                        "User-Agent: node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
                        "Accept-Encoding: gzip,deflate");
        assertThat(request.redirect()).isEqualTo("follow");
        assertThat(request.follow()).isEqualTo(20);
        assertThat(request.compress()).isTrue();
        assertThat(request.maxBodyBytes()).isEqualTo(HostFetch.MAX_BODY_BYTES);
        // The plugin asked for a minute; the call has 20 seconds.
        assertThat(request.timeout()).isLessThanOrEqualTo(TIMEOUT.plusMillis(500));

        services.fetchHandler =
                request2 -> {
                    throw new IllegalStateException("no network here");
                };
        assertThat(run("return fetch('https://example.com/').catch(failure)"))
                .isEqualTo(
                        "[\"FetchError\",\"system\",null,\"request to https://example.com/ failed,"
                                + " reason: no network here\"]");
    }
}
