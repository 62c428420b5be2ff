package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.PluginHost;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The phase a run is in ({@code "setup"}, {@code "event 0"}, {@code "tick 2"}, …; CONTRACTS.md),
 * the time the plugins see during it, and what happened in it: console output, captured events,
 * what the calls returned and which failed. {@link #start} begins the next phase and forgets the
 * last one's record.
 */
final class PhaseRecorder implements PluginHost.Listener {

    private final LongFunction<String> labels;

    private String phase;
    private long time;
    private ArrayNode logs;
    private ArrayNode captured;
    private ArrayNode errors;
    private Map<String, JsonNode> results;

    /**
     * @param labels a plugin config's {@code "<name> (k)"}
     */
    PhaseRecorder(LongFunction<String> labels) {
        this.labels = labels;
    }

    /** Begins a phase whose clock reads {@code timeMillis} throughout. */
    void start(String phase, long timeMillis) {
        this.phase = phase;
        this.time = timeMillis;
        this.logs = Json.MAPPER.createArrayNode();
        this.captured = Json.MAPPER.createArrayNode();
        this.errors = Json.MAPPER.createArrayNode();
        this.results = new HashMap<>();
    }

    String phase() {
        return phase;
    }

    /** The plugins' clock, Unix milliseconds. */
    long time() {
        return time;
    }

    /** A {@code console.*} call: {@code [level, text]}, the level as the method's name. */
    void log(String type, String message) {
        logs.addArray().add(type.toLowerCase(Locale.ROOT)).add(message);
    }

    /** A {@code posthog.capture} call's event. */
    void captured(String eventJson) {
        try {
            captured.add(Json.parse(eventJson));
        } catch (Exception e) {
            captured.add(eventJson);
        }
    }

    @Override
    public void called(long configId, String method, long durationMillis, boolean failed) {}

    @Override
    public void returned(long configId, String method, String resultJson) {
        try {
            results.put(method, resultJson == null ? null : Json.parse(resultJson));
        } catch (Exception e) {
            results.put(method, Json.MAPPER.getNodeFactory().textNode(resultJson));
        }
    }

    @Override
    public void failed(long configId, String method, String errorName, String message) {
        errors.addObject()
                .put("plugin", labels.apply(configId))
                .put("name", errorName)
                .put("message", message);
    }

    /** What the last call of {@code method} in this phase returned, or null. */
    JsonNode result(String method) {
        return results.get(method);
    }

    /** The first failure of the phase, or null. */
    ObjectNode firstError() {
        return errors.isEmpty() ? null : (ObjectNode) errors.get(0);
    }

    /**
     * The phase as a report line (CONTRACTS.md): {@code {event, result, error, logs, captured}},
     * with {@code errors} listing every failure when plugins form a chain.
     */
    ObjectNode report(JsonNode event, JsonNode result, boolean chain) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.set("event", event);
        line.set("result", result);
        ObjectNode first = firstError();
        line.set("error", first == null ? null : first.deepCopy().without("plugin"));
        if (chain) {
            line.set("errors", errors);
        }
        line.set("logs", logs);
        line.set("captured", captured);
        return line;
    }
}
