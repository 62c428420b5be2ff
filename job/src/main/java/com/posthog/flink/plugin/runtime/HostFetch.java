package com.posthog.flink.plugin.runtime;

import com.posthog.flink.plugin.runtime.PluginServices.FetchRequest;
import com.posthog.flink.plugin.runtime.PluginServices.FetchResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.SSLException;

/**
 * The HTTP client behind the plugins' {@code fetch}: {@link PluginServices#fetch}'s default. One
 * JVM-wide {@link HttpClient} (HTTP/1.1, connect timeout {@value #CONNECT_TIMEOUT_SECONDS} s); the
 * call blocks the plugin's thread until the whole response is in, so that the plugin's promise
 * settles as soon as its microtasks drain.
 *
 * <p>Behaves as node-fetch 2 does for what plugins use: redirects followed by hand (node-fetch's
 * rules: up to {@code follow}, 303 and a POST's 301/302 become a body-less GET, credentials dropped
 * when leaving the host), {@code manual} and {@code error} redirect modes, gzip and deflate bodies
 * decompressed when {@code compress}, and failures worded as its {@code FetchError}s. One deadline
 * covers the whole request, redirects and body included; the body may not pass {@link
 * FetchRequest#maxBodyBytes()}, compressed or not.
 */
public final class HostFetch {

    /** The per-request timeout when the plugin sets none (node-fetch's {@code timeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The largest response body a plugin may receive (node-fetch's {@code size} caps below). */
    public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

    /** node-fetch's default {@code follow}. */
    public static final int MAX_REDIRECTS = 20;

    private static final long CONNECT_TIMEOUT_SECONDS = 10;

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Headers node-fetch drops when a redirect leaves the host (2.6.7). */
    private static final Set<String> CREDENTIALS =
            Set.of("authorization", "www-authenticate", "cookie", "cookie2");

    private static final Map<Integer, String> STATUS_TEXTS =
            Map.ofEntries(
                    Map.entry(100, "Continue"),
                    Map.entry(101, "Switching Protocols"),
                    Map.entry(200, "OK"),
                    Map.entry(201, "Created"),
                    Map.entry(202, "Accepted"),
                    Map.entry(203, "Non-Authoritative Information"),
                    Map.entry(204, "No Content"),
                    Map.entry(205, "Reset Content"),
                    Map.entry(206, "Partial Content"),
                    Map.entry(207, "Multi-Status"),
                    Map.entry(300, "Multiple Choices"),
                    Map.entry(301, "Moved Permanently"),
                    Map.entry(302, "Found"),
                    Map.entry(303, "See Other"),
                    Map.entry(304, "Not Modified"),
                    Map.entry(307, "Temporary Redirect"),
                    Map.entry(308, "Permanent Redirect"),
                    Map.entry(400, "Bad Request"),
                    Map.entry(401, "Unauthorized"),
                    Map.entry(402, "Payment Required"),
                    Map.entry(403, "Forbidden"),
                    Map.entry(404, "Not Found"),
                    Map.entry(405, "Method Not Allowed"),
                    Map.entry(406, "Not Acceptable"),
                    Map.entry(407, "Proxy Authentication Required"),
                    Map.entry(408, "Request Timeout"),
                    Map.entry(409, "Conflict"),
                    Map.entry(410, "Gone"),
                    Map.entry(411, "Length Required"),
                    Map.entry(412, "Precondition Failed"),
                    Map.entry(413, "Payload Too Large"),
                    Map.entry(414, "URI Too Long"),
                    Map.entry(415, "Unsupported Media Type"),
                    Map.entry(416, "Range Not Satisfiable"),
                    Map.entry(417, "Expectation Failed"),
                    Map.entry(418, "I'm a Teapot"),
                    Map.entry(422, "Unprocessable Entity"),
                    Map.entry(423, "Locked"),
                    Map.entry(425, "Too Early"),
                    Map.entry(426, "Upgrade Required"),
                    Map.entry(428, "Precondition Required"),
                    Map.entry(429, "Too Many Requests"),
                    Map.entry(431, "Request Header Fields Too Large"),
                    Map.entry(451, "Unavailable For Legal Reasons"),
                    Map.entry(500, "Internal Server Error"),
                    Map.entry(501, "Not Implemented"),
                    Map.entry(502, "Bad Gateway"),
                    Map.entry(503, "Service Unavailable"),
                    Map.entry(504, "Gateway Timeout"),
                    Map.entry(505, "HTTP Version Not Supported"),
                    Map.entry(507, "Insufficient Storage"),
                    Map.entry(511, "Network Authentication Required"));

    /** The reason phrase of a status code as Node sends it, or empty for an unusual code. */
    public static String statusText(int status) {
        return STATUS_TEXTS.getOrDefault(status, "");
    }

    private HostFetch() {}

    /** Created on first use, shared by every plugin of the JVM; its threads are daemons. */
    private static final class Client {
        static final HttpClient INSTANCE =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS))
                        .build();
    }

    /**
     * Makes the request and reads the whole response.
     *
     * @throws FetchException for anything node-fetch rejects with a {@code FetchError}
     * @throws InterruptedException when the thread is interrupted (the call's watchdog); the
     *     request is cancelled
     */
    public static FetchResponse fetch(FetchRequest request)
            throws FetchException, InterruptedException {
        long deadline = System.nanoTime() + request.timeout().toNanos();
        String url = request.url();
        URI uri = uri(url);
        String method = request.method();
        byte[] body = request.body();
        List<String[]> headers = new ArrayList<>(request.headers());
        for (int redirects = 0; ; redirects++) {
            HttpResponse<byte[]> response =
                    send(uri, url, method, headers, body, deadline, request.maxBodyBytes());
            int status = response.statusCode();
            List<String[]> responseHeaders = headers(response.headers());
            if (isRedirect(status)) {
                String location = response.headers().firstValue("location").orElse(null);
                URI target = location == null ? null : resolve(uri, url, location);
                switch (request.redirect()) {
                    case "error" ->
                            throw new FetchException(
                                    "uri requested responds with a redirect, redirect mode is set"
                                            + " to error: "
                                            + url,
                                    "no-redirect",
                                    null);
                    case "manual" -> {
                        if (target != null) {
                            responseHeaders.removeIf(h -> h[0].equals("location"));
                            responseHeaders.add(new String[] {"location", target.toString()});
                        }
                    }
                    default -> {
                        if (target != null) {
                            if (redirects >= request.follow()) {
                                throw new FetchException(
                                        "maximum redirect reached at: " + url,
                                        "max-redirect",
                                        null);
                            }
                            if (!sameSite(uri, target)) {
                                headers.removeIf(h -> CREDENTIALS.contains(lower(h[0])));
                            }
                            if (status == 303
                                    || ((status == 301 || status == 302)
                                            && method.equals("POST"))) {
                                method = "GET";
                                body = null;
                            }
                            uri = target;
                            url = target.toString();
                            continue;
                        }
                    }
                }
            }
            byte[] content = response.body();
            if (request.compress() && !method.equals("HEAD") && status != 204 && status != 304) {
                content =
                        decompress(
                                content,
                                response.headers().firstValue("content-encoding").orElse(""),
                                url,
                                request.maxBodyBytes());
            }
            return new FetchResponse(
                    status,
                    STATUS_TEXTS.getOrDefault(status, ""),
                    url,
                    redirects > 0,
                    responseHeaders,
                    content);
        }
    }

    private static HttpResponse<byte[]> send(
            URI uri,
            String url,
            String method,
            List<String[]> headers,
            byte[] body,
            long deadline,
            long maxBodyBytes)
            throws FetchException, InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(url);
        }
        HttpRequest httpRequest;
        try {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofNanos(remaining))
                            .method(
                                    method,
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofByteArray(body));
            boolean authorization = false;
            for (String[] header : headers) {
                String name = lower(header[0]);
                authorization |= name.equals("authorization");
                if (!RESTRICTED.contains(name)) {
                    builder.header(header[0], header[1]);
                }
            }
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null && !authorization) {
                String credentials = decodePercent(userInfo);
                builder.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                credentials.getBytes(StandardCharsets.UTF_8)));
            }
            httpRequest = builder.build();
        } catch (IllegalArgumentException e) {
            throw failure(url, e.getMessage(), null);
        }
        CompletableFuture<HttpResponse<byte[]>> future =
                Client.INSTANCE.sendAsync(httpRequest, info -> new LimitedBody(maxBodyBytes, info));
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(url);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(uri, url, e.getCause(), maxBodyBytes);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** node-fetch's test: the same host, or a subdomain of it, and no downgrade to http. */
    private static boolean sameSite(URI from, URI to) {
        String origin = lower(from.getHost());
        String destination = lower(to.getHost());
        boolean sameHost =
                destination.equals(origin)
                        || (destination.endsWith(origin)
                                && destination.charAt(destination.length() - origin.length() - 1)
                                        == '.');
        return sameHost && !(from.getScheme().equals("https") && to.getScheme().equals("http"));
    }

    /** Response headers as lowercase name and value pairs, one per value. */
    private static List<String[]> headers(HttpHeaders headers) {
        List<String[]> pairs = new ArrayList<>();
        headers.map()
                .forEach(
                        (name, values) -> {
                            if (!name.startsWith(":")) {
                                values.forEach(v -> pairs.add(new String[] {lower(name), v}));
                            }
                        });
        return pairs;
    }

    /**
     * The URL as the JDK client takes it: http or https, with a host (converted to ASCII if it is
     * not), without its fragment.
     */
    static URI uri(String url) throws FetchException {
        URI uri;
        try {
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                // WHATWG URLs keep characters RFC 2396 refuses ({}|^` in paths and queries).
                uri = new URI(encodeIllegal(url));
            }
            String scheme = uri.getScheme() == null ? "" : lower(uri.getScheme());
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw failure(url, "Only HTTP(S) protocols are supported", null);
            }
            if (uri.getHost() == null && uri.getRawAuthority() != null) {
                String authority = uri.getRawAuthority();
                int at = authority.lastIndexOf('@');
                String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
                String hostPort = authority.substring(at + 1);
                int colon = hostPort.lastIndexOf(':');
                String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                String port = colon < 0 ? "" : hostPort.substring(colon);
                String ascii = IDN.toASCII(decodePercent(host), IDN.ALLOW_UNASSIGNED);
                uri = new URI(scheme + "://" + userInfo + ascii + port + pathAndQuery(uri));
            }
            if (uri.getHost() == null) {
                throw failure(url, "Invalid URL", null);
            }
            if (uri.getRawFragment() != null) {
                String text = uri.toString();
                uri = new URI(text.substring(0, text.indexOf('#')));
            }
            return uri;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw failure(url, "Invalid URL", null);
        }
    }

    private static String pathAndQuery(URI uri) {
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** A redirect's {@code Location} against the URL that answered it. */
    private static URI resolve(URI base, String url, String location) throws FetchException {
        try {
            URI relative;
            try {
                relative = new URI(location);
            } catch (URISyntaxException e) {
                relative = new URI(encodeIllegal(location));
            }
            if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
                base = new URI(base + "/");
            }
            return uri(base.resolve(relative).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw failure(url, "Invalid redirect location " + location, null);
        }
    }

    /** Percent-encodes what a URI may not contain (spaces, non-ASCII), as browsers do. */
    private static String encodeIllegal(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20
                    && c < 0x7f
                    && (Character.isLetterOrDigit(c)
                            || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static String decodePercent(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] decompress(byte[] body, String encoding, String url, long limit)
            throws FetchException {
        String coding = lower(encoding.trim());
        if (body.length == 0) {
            return body;
        }
        try {
            InputStream in;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                in = new GZIPInputStream(new ByteArrayInputStream(body));
            } else if (coding.equals("deflate") || coding.equals("x-deflate")) {
                // zlib-wrapped or raw: node-fetch looks at the first byte too.
                boolean raw = (body[0] & 0x0f) != 0x08;
                in = new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(raw));
            } else {
                return body;
            }
            try (in) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
                byte[] chunk = new byte[8192];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    out.write(chunk, 0, n);
                    if (out.size() > limit) {
                        throw tooLarge(url, limit);
                    }
                }
                return out.toByteArray();
            }
        } catch (FetchException e) {
            throw e;
        } catch (IOException e) {
            throw new FetchException(
                    "Invalid response body while trying to fetch " + url + ": " + e.getMessage(),
                    "system",
                    null);
        }
    }

    private static FetchException timeout(String url) {
        return new FetchException("network timeout at: " + url, "request-timeout", null);
    }

    private static FetchException tooLarge(String url, long limit) {
        return new FetchException(
                "content size at " + url + " over limit: " + limit, "max-size", null);
    }

    private static FetchException failure(String url, String reason, String code) {
        return new FetchException(
                "request to " + url + " failed, reason: " + reason, "system", code);
    }

    /** A failed exchange as Node would have reported it. */
    private static FetchException failure(URI uri, String url, Throwable cause, long limit) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLarge) {
                return tooLarge(url, limit);
            }
            if (t instanceof HttpTimeoutException) {
                return timeout(url);
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        String address = uri.getHost() + ":" + port;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return failure(url, "getaddrinfo ENOTFOUND " + uri.getHost(), "ENOTFOUND");
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String message = lower(String.valueOf(t.getMessage()));
                String code =
                        message.contains("no route")
                                ? "EHOSTUNREACH"
                                : message.contains("unreachable") ? "ENETUNREACH" : "ECONNREFUSED";
                return failure(url, "connect " + code + " " + address, code);
            }
            if (t instanceof SSLException) {
                return failure(url, String.valueOf(t.getMessage()), null);
            }
        }
        String message = cause == null ? null : cause.getMessage();
        if (message == null) {
            return failure(url, cause == null ? "unknown" : cause.getClass().getSimpleName(), null);
        }
        String lower = lower(message);
        if (lower.contains("eof") || lower.contains("no bytes") || lower.contains("reset")) {
            return failure(url, "socket hang up", "ECONNRESET");
        }
        return failure(url, message, null);
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    /** Past the body limit. */
    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("response body too large");
        }
    }

    /**
     * Collects the body up to a limit, cancelling the exchange past it (or at once when the
     * declared {@code Content-Length} is already past it).
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long limit;
        private final boolean declaredTooLarge;
        private ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(long limit, HttpResponse.ResponseInfo info) {
            this.limit = limit;
            long declared;
            try {
                declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            } catch (NumberFormatException e) {
                declared = -1;
            }
            this.declaredTooLarge = declared > limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredTooLarge) {
                fail(new BodyTooLarge());
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (out == null) {
                return;
            }
            for (ByteBuffer item : items) {
                if (out.size() + (long) item.remaining() > limit) {
                    fail(new BodyTooLarge());
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            out = null;
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (out != null) {
                result.complete(out.toByteArray());
                out = null;
            }
        }

        private void fail(IOException error) {
            out = null;
            subscription.cancel();
            result.completeExceptionally(error);
        }
    }
}
