package com.posthog.flink.plugin.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One plugin config's JavaScript: a GraalJS context on the shared {@link JsEngine}, with the
 * plugin's code evaluated, its exports found, and calls into them (spec §1.4).
 *
 * <p>The sandbox is the context's configuration ({@link JsEngine#newContext}): the bridge's own
 * functions are all the plugin reaches of Java. Like the original there are no timers and no {@code
 * process}.
 *
 * <p>Arguments and results cross as JSON text, which keeps JavaScript's own semantics (key order,
 * {@code undefined} keys dropped, {@code NaN} to {@code null}) and gives the caller each argument
 * as the plugin left it: plugins mutate events in place (spec §2.2); {@code processEvent}'s event
 * crosses as a {@link LazyEvent}, whose members the plugin leaves alone are not serialised in
 * JavaScript. Every call runs under a {@link Watchdog} that stops it after its timeout or memory
 * limit and leaves the context usable.
 *
 * <p>Not thread-safe: one call at a time, as CONTRACTS.md guarantees per plugin config.
 */
public final class PluginVm implements AutoCloseable {

    /** Literal module names a file imports or requires, checked before it runs (spec §1.3). */
    private static final Pattern IMPORTS =
            Pattern.compile(
                    "^\\s*(?:import|export)\\b[^;'\"]*?\\bfrom\\s*(['\"])(.+?)\\1"
                            + "|^\\s*import\\s*(['\"])(.+?)\\3"
                            + "|\\b(?:require|import)\\s*\\(\\s*(['\"])(.+?)\\5\\s*\\)",
                    Pattern.MULTILINE);

    private static final String MODULE_WRAPPER_START =
            "(function (exports, require, module, __filename, __dirname) {";

    /**
     * How long a fetch may wait past the call's deadline: the watchdog stops the call first (it
     * interrupts the waiting thread), so a fetch cut short by the call ends as the call's timeout,
     * not as a network timeout the plugin could catch and go on from.
     */
    private static final Duration FETCH_GRACE = Duration.ofMillis(250);

    /** {@code ArrayBuffer}s for bytes going to JavaScript, its constructor taken before plugins. */
    private static final Source ALLOCATE_BUFFER =
            Source.newBuilder(
                            "js",
                            "((NativeArrayBuffer) => (n) => new NativeArrayBuffer(n))(ArrayBuffer)",
                            "posthog-allocate.js")
                    .buildLiteral();

    private static final Source GLOBAL_JSON =
            Source.newBuilder(
                            "js",
                            """
                            ((global) => {
                                const out = {};
                                for (const key of Object.keys(global ?? {})) {
                                    try {
                                        const json = JSON.stringify(global[key]);
                                        if (json !== undefined) out[key] = JSON.parse(json);
                                    } catch (e) {
                                        out[key] = Object.prototype.toString.call(global[key]);
                                    }
                                }
                                return JSON.stringify(out);
                            })
                            """,
                            "posthog-global-json.js")
                    .buildLiteral();

    private final PluginCode code;
    private final PluginServices services;
    private final PluginLimits limits;
    private final Context context;
    private final Map<String, Double> metricValues = new LinkedHashMap<>();
    private final List<JobRequest> jobRequests = new ArrayList<>();

    private Value invokeFunction;
    private Value invokeEventFunction;
    private Value globalFunction;
    private Value allocateBuffer;
    private Set<String> importable;
    private Set<String> methods;
    private List<String> jobNames;
    private Map<String, String> metrics;

    /** The guard of the JavaScript running now, so host callbacks can step out of it. */
    private Watchdog.Guard running;

    /**
     * What a call returned.
     *
     * @param resultJson the result as JSON, null for {@code undefined} or {@code null}
     * @param argumentsAfterJson for {@code processEvent}, each argument re-serialised after the
     *     call (null for {@code undefined}): what the plugin changed in place; empty for the other
     *     methods and jobs, whose in-place changes are not kept
     * @param returnedFirstArgument whether the result is the first argument itself (a mutated
     *     event, not a new object)
     */
    public record CallResult(
            String resultJson, List<String> argumentsAfterJson, boolean returnedFirstArgument) {}

    /**
     * What {@link #processEvent} gave.
     *
     * @param result the returned value (null for {@code undefined} or {@code null})
     * @param eventAfter the event after the call, with the plugin's in-place changes
     * @param returnedEvent whether the plugin returned its argument itself
     */
    public record EventResult(JsonNode result, ObjectNode eventAfter, boolean returnedEvent) {}

    /**
     * A job the plugin enqueued through {@code meta.jobs.NAME(payload).runNow/runIn/runAt}.
     *
     * @param payloadJson the payload as JSON, or null when it was {@code undefined}
     * @param runAtIso when to run it, ISO-8601 UTC, or null for now
     */
    public record JobRequest(String name, String payloadJson, String runAtIso) {}

    private PluginVm(PluginCode code, PluginServices services, PluginLimits limits) {
        this.code = code;
        this.services = services;
        this.limits = limits;
        this.context = JsEngine.newContext();
    }

    /**
     * Creates the context and runs the plugin's top-level code, within {@link
     * PluginLimits#taskTimeout()}. Does not call {@code setupPlugin}: that is the caller's first
     * {@link #call}.
     *
     * @throws PluginLoadException for a missing entry file, a syntax error, a forbidden import, a
     *     top-level throw or timeout, or an unsupported metric type
     */
    public static PluginVm load(PluginCode code, PluginServices services, PluginLimits limits)
            throws PluginLoadException {
        PluginVm vm = new PluginVm(code, services, limits);
        try {
            vm.evaluate();
            return vm;
        } catch (PluginLoadException | RuntimeException e) {
            vm.close();
            throw e;
        }
    }

    private void evaluate() throws PluginLoadException {
        String entry = code.entry();
        if (!code.files().containsKey(entry)) {
            throw new PluginLoadException("Plugin " + code.name() + " has no file " + entry);
        }
        Watchdog.Guard guard = watch(limits.taskTimeout(), Long.MAX_VALUE);
        String info;
        try {
            java.util.function.LongSupplier clock = services.fixedClock();
            if (clock != null) {
                context.eval(ClockScript.SOURCE)
                        .execute((ProxyExecutable) a -> (double) clock.getAsLong());
            }
            allocateBuffer = context.eval(ALLOCATE_BUFFER);
            context.eval(IntlScript.SOURCE);
            Value runtime =
                    context.eval(RuntimeScript.SOURCE)
                            .execute(
                                    bridge(),
                                    dirname(entry),
                                    context.eval(UrlScript.SOURCE),
                                    context.eval(BufferScript.SOURCE),
                                    context.eval(FetchScript.SOURCE),
                                    context.eval(CryptoScript.SOURCE),
                                    context.eval(HistoricalExportScript.SOURCE));
            invokeFunction = runtime.getMember("invoke");
            invokeEventFunction = runtime.getMember("invokeEvent");
            globalFunction = runtime.getMember("global");
            importable = new LinkedHashSet<>(strings(runtime.getMember("modules")));
            context.eval(guard.unwatched(() -> prepare(entry, false)));
            info = runtime.getMember("discover").execute().asString();
        } catch (PolyglotException e) {
            throw loadFailure(e, guard.breach(), entry);
        } finally {
            endWatch(guard);
        }
        try {
            JsonNode discovered = Json.parse(info);
            methods = new LinkedHashSet<>();
            discovered.path("methods").forEach(method -> methods.add(method.asText()));
            jobNames = new ArrayList<>();
            discovered.path("jobs").forEach(job -> jobNames.add(job.asText()));
            metrics = new LinkedHashMap<>();
            discovered
                    .path("metrics")
                    .fields()
                    .forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().asText()));
        } catch (JsonProcessingException e) {
            // Only a plugin that replaced built-ins the runtime uses can get here.
            throw new PluginLoadException("The plugin's exports cannot be read: " + e.getMessage());
        }
    }

    /**
     * The exported functions: among {@code setupPlugin}, {@code teardownPlugin}, {@code
     * processEvent} (also when made from {@code processEventBatch}), {@code processEventBatch},
     * {@code onEvent}, {@code onSnapshot}, {@code exportEvents}, and every {@code runEvery*}.
     */
    public Set<String> methods() {
        return Collections.unmodifiableSet(methods);
    }

    /** The functions of the exported {@code jobs} object. */
    public List<String> jobNames() {
        return Collections.unmodifiableList(jobNames);
    }

    /** The exported {@code metrics}: name to {@code sum}, {@code max} or {@code min}. */
    public Map<String, String> metrics() {
        return Collections.unmodifiableMap(metrics);
    }

    /**
     * Calls an exported function with {@code meta} appended and waits for its promise.
     *
     * @param method one of {@link #methods()}
     * @param timeout how long the JavaScript may run
     * @param jsonArgs the arguments as JSON; a null element passes {@code undefined}
     * @throws PluginCallException if the function throws or rejects, or is cancelled: {@code
     *     TimeoutError} after {@code timeout} (or at once for a promise that can never settle:
     *     nothing in the sandbox could settle it later), {@code MemoryLimitError} past the limit
     * @throws IllegalArgumentException if the plugin has no such method
     */
    public CallResult call(String method, Duration timeout, String... jsonArgs)
            throws PluginCallException {
        if (!methods.contains(method)) {
            throw new IllegalArgumentException(code.name() + " has no method " + method);
        }
        return invoke("method", method, timeout, jsonArgs);
    }

    /**
     * Runs a job handler of the exported {@code jobs} with its payload and {@code meta}; as {@link
     * #call}.
     *
     * @param payloadJson the payload as JSON, or null for {@code undefined}
     */
    public CallResult callJob(String job, Duration timeout, String payloadJson)
            throws PluginCallException {
        if (!jobNames.contains(job)) {
            throw new IllegalArgumentException(code.name() + " has no job " + job);
        }
        return invoke("job", job, timeout, new String[] {payloadJson});
    }

    /**
     * Calls {@code processEvent(event, meta)} as {@link #call} does, the event crossing as a {@link
     * LazyEvent}; a {@link PluginCallException} carries the event as the plugin left it.
     */
    public EventResult processEvent(Duration timeout, ObjectNode event) throws PluginCallException {
        if (!methods.contains("processEvent")) {
            throw new IllegalArgumentException(code.name() + " has no method processEvent");
        }
        LazyEvent lazy = LazyEvent.of(event);
        Object[] arguments = new Object[lazy.arguments().length + 1];
        arguments[0] = "processEvent";
        System.arraycopy(lazy.arguments(), 0, arguments, 1, lazy.arguments().length);
        Value outcome = settled("processEvent", timeout, invokeEventFunction, arguments);
        List<String> json = strings(outcome.getMember("argumentsJson"));
        ObjectNode after =
                json == null ? null : lazy.after(json.get(0), outcome.getMember("fromJava"));
        if (outcome.getMember("failed").asBoolean()) {
            throw failure(outcome, after == null ? null : List.of(Json.write(after)));
        }
        boolean returnedEvent = outcome.getMember("returnedFirstArgument").asBoolean();
        String resultJson = string(outcome.getMember("resultJson"));
        try {
            return new EventResult(
                    returnedEvent ? after : resultJson == null ? null : Json.parse(resultJson),
                    after,
                    returnedEvent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON.stringify gave text that is not JSON", e);
        }
    }

    private CallResult invoke(String kind, String name, Duration timeout, String[] jsonArgs)
            throws PluginCallException {
        Object[] arguments = new Object[jsonArgs.length + 2];
        arguments[0] = kind;
        arguments[1] = name;
        System.arraycopy(jsonArgs, 0, arguments, 2, jsonArgs.length);
        Value outcome = settled(name, timeout, invokeFunction, arguments);
        List<String> argumentsAfter = strings(outcome.getMember("argumentsJson"));
        if (outcome.getMember("failed").asBoolean()) {
            throw failure(outcome, argumentsAfter);
        }
        return new CallResult(
                string(outcome.getMember("resultJson")),
                argumentsAfter,
                outcome.getMember("returnedFirstArgument").asBoolean());
    }

    /**
     * Runs one of the runtime script's call functions under the watchdog and returns its settled
     * outcome, or throws for a cancelled call, a throw outside the plugin's promise, or a promise
     * that can never settle.
     */
    private Value settled(String name, Duration timeout, Value function, Object[] arguments)
            throws PluginCallException {
        Watchdog.Guard guard = watch(timeout, limits.memoryLimitBytes());
        Value outcome = null;
        PolyglotException failure = null;
        try {
            outcome = function.execute(arguments);
        } catch (PolyglotException e) {
            failure = e;
        } finally {
            endWatch(guard);
        }
        if (guard.breach() == Watchdog.Breach.TIME) {
            throw new PluginCallException(
                    PluginCallException.TIMEOUT, timeoutMessage(timeout, name), null, null);
        }
        if (guard.breach() == Watchdog.Breach.MEMORY) {
            throw new PluginCallException(
                    PluginCallException.MEMORY_LIMIT,
                    "Script execution used more than "
                            + limits.memoryLimitBytes() / (1024 * 1024)
                            + " MB of memory in "
                            + name,
                    null,
                    null);
        }
        if (failure != null) {
            throw new PluginCallException(
                    errorMember(failure, "name"),
                    errorMessage(failure),
                    errorMember(failure, "stack"),
                    null);
        }
        // Every host call, fetch included, completes before it returns, so a promise that waits
        // only on them has settled by now; one still pending waits on nothing that can ever come.
        if (!outcome.getMember("settled").asBoolean()) {
            throw new PluginCallException(
                    PluginCallException.TIMEOUT,
                    "The promise returned by " + name + " can never settle",
                    null,
                    null);
        }
        return outcome;
    }

    /** The plugin's error of a failed outcome. */
    private static PluginCallException failure(Value outcome, List<String> argumentsAfter) {
        return new PluginCallException(
                string(outcome.getMember("errorName")),
                string(outcome.getMember("message")),
                string(outcome.getMember("stack")),
                argumentsAfter);
    }

    /**
     * {@code meta.global} as a JSON object, for {@code plugin-run --dump-state}: each key as JSON
     * where it serialises, else (a cycle, a BigInt) as its {@code Object.prototype.toString} tag;
     * keys whose value serialises to nothing (a function, {@code undefined}) are left out.
     */
    public String globalJson() {
        Watchdog.Guard guard = watch(limits.taskTimeout(), limits.memoryLimitBytes());
        try {
            return context.eval(GLOBAL_JSON).execute(globalFunction.execute()).asString();
        } catch (PolyglotException e) {
            return "{}";
        } finally {
            endWatch(guard);
        }
    }

    /**
     * The {@code meta.metrics} updates since the last drain, aggregated as spec §2.7 says (the
     * first update sets the value; a 0 counts as unset), then forgotten.
     */
    public Map<String, Double> drainMetrics() {
        Map<String, Double> drained = new LinkedHashMap<>(metricValues);
        metricValues.clear();
        return drained;
    }

    /** The jobs enqueued since the last drain, in order, then forgotten. */
    public List<JobRequest> drainJobRequests() {
        List<JobRequest> drained = List.copyOf(jobRequests);
        jobRequests.clear();
        return drained;
    }

    /** Closes the context, cancelling JavaScript still running in it. */
    @Override
    public void close() {
        context.close(true);
    }

    private Watchdog.Guard watch(Duration timeout, long memoryLimitBytes) {
        running = Watchdog.watch(context, timeout, memoryLimitBytes);
        return running;
    }

    private void endWatch(Watchdog.Guard guard) {
        guard.close();
        running = null;
    }

    /** A file as GraalJS source: imports checked, transpiled if needed, wrapped as a module. */
    private Source prepare(String path, boolean asModule) throws PluginLoadException {
        String text = code.files().get(path);
        if (path.endsWith(".json")) {
            text = "module.exports = " + text + ";";
        } else {
            checkImports(text);
            if (JsEngine.needsTranspiling(path, text)) {
                text = JsEngine.transpile(path, text);
            }
        }
        if (asModule) {
            text = MODULE_WRAPPER_START + text + "\n})";
        }
        return Source.newBuilder("js", text, path).buildLiteral();
    }

    private void checkImports(String text) throws PluginLoadException {
        Matcher matcher = IMPORTS.matcher(text);
        while (matcher.find()) {
            String module =
                    matcher.group(2) != null
                            ? matcher.group(2)
                            : matcher.group(4) != null ? matcher.group(4) : matcher.group(6);
            if (!module.startsWith(".")
                    && !module.startsWith("/")
                    && !importable.contains(module)) {
                throw new PluginLoadException(
                        "Cannot import '"
                                + module
                                + "'! This package is not provided by PostHog in plugins.");
            }
        }
    }

    /** {@code require(spec)} from {@code dir}: a file of the plugin, or null. */
    private String resolve(String dir, String spec) {
        Deque<String> parts = new ArrayDeque<>();
        String joined = spec.startsWith("/") || dir.isEmpty() ? spec : dir + "/" + spec;
        for (String part : joined.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.addLast(part);
            }
        }
        String base = String.join("/", parts);
        for (String suffix : List.of("", ".js", ".ts", ".json", "/index.js", "/index.ts")) {
            if (code.files().containsKey(base + suffix)) {
                return base + suffix;
            }
        }
        return null;
    }

    /** The Java functions behind the runtime script's globals and {@code meta}. */
    private ProxyObject bridge() {
        Map<String, Object> functions = new HashMap<>();
        function(functions, "configJson", a -> services.configJson());
        function(functions, "attachmentsJson", a -> attachmentsJson());
        function(
                functions,
                "log",
                a -> {
                    services.log(a[0].asString(), a[1].asString());
                    return null;
                });
        function(
                functions,
                "capture",
                a -> {
                    services.capture(a[0].asString());
                    return null;
                });
        function(
                functions,
                "systemLog",
                a -> {
                    services.systemLog(a[0].asString(), a[1].asString());
                    return null;
                });
        function(functions, "historyBounds", a -> services.historyBounds());
        function(functions, "apiCredentials", a -> services.apiCredentials());
        function(
                functions,
                "historyEvents",
                a ->
                        services.historyEvents(
                                a[0].asLong(), a[1].asLong(), a[2].asLong(), a[3].asLong()));
        function(functions, "storageGet", a -> services.storageGet(a[0].asString()));
        function(
                functions,
                "storageSet",
                a -> {
                    services.storageSet(a[0].asString(), a[1].asString());
                    return null;
                });
        function(
                functions,
                "storageDel",
                a -> {
                    services.storageDel(a[0].asString());
                    return null;
                });
        function(functions, "cacheGet", a -> services.cacheGet(a[0].asString()));
        function(
                functions,
                "cacheSet",
                a -> {
                    Long ttl = a[2].isNull() ? null : a[2].asLong();
                    services.cacheSet(a[0].asString(), a[1].asString(), ttl);
                    return null;
                });
        function(functions, "cacheIncr", a -> services.cacheIncr(a[0].asString()));
        function(
                functions,
                "cacheExpire",
                a -> services.cacheExpire(a[0].asString(), a[1].asLong()));
        function(
                functions,
                "cacheLpush",
                a ->
                        services.cacheLpush(
                                a[0].asString(),
                                Json.MAPPER.readValue(
                                        a[1].asString(), new TypeReference<List<String>>() {})));
        function(
                functions,
                "cacheLrange",
                a ->
                        Json.MAPPER.writeValueAsString(
                                services.cacheLrange(
                                        a[0].asString(), a[1].asLong(), a[2].asLong())));
        function(functions, "cacheLlen", a -> services.cacheLlen(a[0].asString()));
        function(
                functions,
                "cacheLrem",
                a -> services.cacheLrem(a[0].asString(), a[1].asLong(), a[2].asString()));
        function(
                functions,
                "cacheLpop",
                a ->
                        Json.MAPPER.writeValueAsString(
                                services.cacheLpop(a[0].asString(), a[1].asLong())));
        function(
                functions,
                "metric",
                a -> {
                    updateMetric(a[0].asString(), a[1].asString(), a[2].asDouble());
                    return null;
                });
        function(
                functions,
                "job",
                a -> {
                    jobRequests.add(
                            new JobRequest(
                                    a[0].asString(),
                                    a[1].isNull() ? null : a[1].asString(),
                                    a[2].isNull() ? null : a[2].asString()));
                    return null;
                });
        function(functions, "geoipLocate", a -> services.geoipLocate(a[0].asString()));
        function(functions, "hasGeoip", a -> services.hasGeoip());
        function(functions, "resolve", a -> resolve(a[0].asString(), a[1].asString()));
        function(
                functions, "encode", a -> toJs(HostBytes.encode(a[0].asString(), a[1].asString())));
        function(
                functions,
                "decode",
                a -> HostBytes.decode(fromJs(a[0], a[1], a[2]), a[3].asString()));
        function(
                functions,
                "digest",
                a ->
                        digestHandle(
                                HostCrypto.digest(
                                        a[0].asString(),
                                        a[1].isNull() ? null : fromJs(a[1], a[2], a[3]))));
        function(functions, "randomBytes", a -> toJs(HostCrypto.randomBytes(a[0].asInt())));
        function(functions, "randomUUID", a -> UUID.randomUUID().toString());
        function(functions, "domainToAscii", a -> UrlScript.domainToAscii(a[0].asString()));
        function(functions, "fetch", this::fetch);
        // Not through function(): a syntax error must reach the plugin as the SyntaxError it is.
        functions.put(
                "compile",
                (ProxyExecutable)
                        a -> {
                            String path = a[0].asString();
                            try {
                                return context.eval(running.unwatched(() -> prepare(path, true)));
                            } catch (PluginLoadException e) {
                                throw new IllegalArgumentException(e.getMessage(), e);
                            }
                        });
        return ProxyObject.fromMap(functions);
    }

    /** Bytes to a new JavaScript {@code ArrayBuffer}. */
    private Value toJs(byte[] bytes) {
        return HostBytes.write(allocateBuffer, bytes);
    }

    /** The bytes of a JavaScript {@code ArrayBuffer} range. */
    private static byte[] fromJs(Value buffer, Value offset, Value length) {
        return HostBytes.read(buffer, offset.asLong(), length.asLong());
    }

    /** A running digest as JavaScript sees it: three functions and nothing more of Java. */
    private ProxyObject digestHandle(HostCrypto.Digest digest) {
        Map<String, Object> handle = new HashMap<>();
        handle.put(
                "update",
                (ProxyExecutable)
                        a -> {
                            digest.update(fromJs(a[0], a[1], a[2]));
                            return null;
                        });
        handle.put("finish", (ProxyExecutable) a -> toJs(digest.finish()));
        handle.put("copy", (ProxyExecutable) a -> digestHandle(digest.copy()));
        return ProxyObject.fromMap(handle);
    }

    /**
     * A plugin's {@code fetch}, made by {@link PluginServices#fetch} within the limits: the
     * plugin's timeout or {@link HostFetch#DEFAULT_TIMEOUT}, cut to the time the call has left
     * (plus {@link #FETCH_GRACE}); at most {@link HostFetch#MAX_BODY_BYTES}. Returns the response,
     * or the error the plugin's promise rejects with: JavaScript builds the objects ({@link
     * FetchScript}).
     */
    private ProxyObject fetch(Value[] a) throws JsonProcessingException {
        String url = a[1].asString();
        List<String[]> headers = new ArrayList<>();
        for (JsonNode pair : Json.parse(a[2].asString())) {
            headers.add(new String[] {pair.get(0).asText(), pair.get(1).asText()});
        }
        byte[] body = a[3].isNull() ? null : fromJs(a[3], a[4], a[5]);
        long timeoutMillis = a[8].asLong();
        Duration timeout =
                timeoutMillis > 0 ? Duration.ofMillis(timeoutMillis) : HostFetch.DEFAULT_TIMEOUT;
        if (running != null && running.remaining().plus(FETCH_GRACE).compareTo(timeout) < 0) {
            timeout = running.remaining().plus(FETCH_GRACE);
        }
        long size = a[9].asLong();
        PluginServices.FetchRequest request =
                new PluginServices.FetchRequest(
                        a[0].asString(),
                        url,
                        headers,
                        a[11].asInt(),
                        body,
                        a[6].asString(),
                        a[7].asInt(),
                        a[10].asBoolean(),
                        timeout,
                        size > 0 && size < HostFetch.MAX_BODY_BYTES
                                ? size
                                : HostFetch.MAX_BODY_BYTES);
        PluginServices.FetchResponse response;
        try {
            response = services.fetch(request);
        } catch (FetchException e) {
            return fetchError(e.getMessage(), e.type(), e.code());
        } catch (InterruptedException e) {
            // The watchdog stopping the call, or the task being cancelled: let them see it.
            Thread.currentThread().interrupt();
            return fetchError("request to " + url + " failed, reason: interrupted", "system", null);
        } catch (Exception e) {
            return fetchError(
                    "request to " + url + " failed, reason: " + e.getMessage(), "system", null);
        }
        Map<String, Object> result = new HashMap<>();
        result.put("error", false);
        result.put("status", response.status());
        result.put("statusText", response.statusText() == null ? "" : response.statusText());
        result.put("url", response.url() == null ? url : response.url());
        result.put("redirected", response.redirected());
        result.put(
                "headersJson",
                Json.MAPPER.writeValueAsString(
                        response.headers() == null ? List.of() : response.headers()));
        byte[] content = response.body() == null ? new byte[0] : response.body();
        result.put("text", (ProxyExecutable) t -> HostBytes.utf8(content));
        result.put("bytes", (ProxyExecutable) t -> toJs(content));
        return ProxyObject.fromMap(result);
    }

    private static ProxyObject fetchError(String message, String type, String code) {
        Map<String, Object> error = new HashMap<>();
        error.put("error", true);
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        return ProxyObject.fromMap(error);
    }

    /** Adds to a {@code sum} metric from the host (the export metrics of spec §2.7). */
    public void addToMetric(String name, double value) {
        updateMetric(name, "sum", value);
    }

    private void updateMetric(String name, String type, double value) {
        Double current = metricValues.get(name);
        if (current == null || current == 0) {
            metricValues.put(name, value);
        } else {
            metricValues.put(
                    name,
                    switch (type) {
                        case "sum" -> current + value;
                        case "max" -> Math.max(current, value);
                        default -> Math.min(current, value);
                    });
        }
    }

    /** Attachments as JSON, contents as a Latin-1 string: one byte per character. */
    private String attachmentsJson() throws JsonProcessingException {
        ObjectNode json = Json.MAPPER.createObjectNode();
        services.attachments()
                .forEach(
                        (key, attachment) ->
                                json.putObject(key)
                                        .put("content_type", attachment.contentType())
                                        .put("file_name", attachment.fileName())
                                        .put(
                                                "contents",
                                                new String(
                                                        attachment.contents(),
                                                        StandardCharsets.ISO_8859_1)));
        return Json.MAPPER.writeValueAsString(json);
    }

    /** A bridge function: the services' checked exceptions reach JavaScript as their message. */
    private interface HostFunction {
        Object apply(Value[] arguments) throws Exception;
    }

    private static void function(Map<String, Object> functions, String name, HostFunction fn) {
        functions.put(
                name,
                (ProxyExecutable)
                        arguments -> {
                            try {
                                return fn.apply(arguments);
                            } catch (RuntimeException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new RuntimeException(e.getMessage(), e);
                            }
                        });
    }

    /**
     * Why loading failed, worded as the original recorded it: the error's message (spec §2.8).
     * Syntax errors keep GraalJS's "SyntaxError: file:line:column" form, their message alone would
     * not say what is wrong.
     */
    private PluginLoadException loadFailure(
            PolyglotException e, Watchdog.Breach breach, String entry) {
        if (breach != null) {
            return new PluginLoadException(timeoutMessage(limits.taskTimeout(), entry));
        }
        return new PluginLoadException(e.isSyntaxError() ? e.getMessage() : errorMessage(e));
    }

    static String timeoutMessage(Duration timeout, String where) {
        BigDecimal seconds =
                BigDecimal.valueOf(timeout.toMillis()).movePointLeft(3).stripTrailingZeros();
        return "Script execution timed out after "
                + seconds.toPlainString()
                + (seconds.compareTo(BigDecimal.ONE) == 0 ? " second" : " seconds")
                + " in "
                + where;
    }

    /** A string member of the JavaScript error behind {@code e}, or null. */
    private static String errorMember(PolyglotException e, String member) {
        Value error = e.isGuestException() ? e.getGuestObject() : null;
        try {
            Value value = error != null && error.hasMembers() ? error.getMember(member) : null;
            return value != null && value.isString() ? value.asString() : null;
        } catch (PolyglotException getterFailed) {
            return null;
        }
    }

    /** The JavaScript error's message, or GraalJS's text for what is not an error object. */
    private static String errorMessage(PolyglotException e) {
        String message = errorMember(e, "message");
        return message != null ? message : e.getMessage();
    }

    private static String string(Value value) {
        return value == null || value.isNull() ? null : value.asString();
    }

    private static List<String> strings(Value array) {
        if (array == null || !array.hasArrayElements()) {
            return null;
        }
        List<String> result = new ArrayList<>((int) array.getArraySize());
        for (long i = 0; i < array.getArraySize(); i++) {
            result.add(string(array.getArrayElement(i)));
        }
        return result;
    }

    private static String dirname(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
