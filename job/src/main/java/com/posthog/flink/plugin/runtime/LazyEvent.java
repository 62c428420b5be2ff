package com.posthog.flink.plugin.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.Iterator;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * An event crossing into {@code processEvent} without a JSON round trip of the whole event in
 * JavaScript, where parsing and re-serialising it cost more than most plugins themselves (issue 3
 * item 7, measured in README "Measured"). Scalar members cross as values; object and array members
 * (mostly {@code properties}) cross as JSON text that the runtime script's {@code invokeEvent}
 * parses only when the plugin first touches them. Members the plugin left as they came are named
 * back instead of serialised, and taken from the Java event as JavaScript would have given them
 * back ({@link Json#throughJavaScript}): the result is the one a full JSON round trip gives.
 */
final class LazyEvent {

    private final ObjectNode event;
    private final Object[] arguments;

    private LazyEvent(ObjectNode event, Object[] arguments) {
        this.event = event;
        this.arguments = arguments;
    }

    /**
     * The arguments of {@code invokeEvent} after the method name: the kinds ({@code v} for a value,
     * {@code j} for JSON text, one per member), then key/value pairs.
     */
    static LazyEvent of(ObjectNode event) {
        StringBuilder kinds = new StringBuilder(event.size());
        Object[] arguments = new Object[1 + 2 * event.size()];
        int n = 1;
        for (Iterator<Map.Entry<String, JsonNode>> i = event.fields(); i.hasNext(); ) {
            Map.Entry<String, JsonNode> field = i.next();
            JsonNode value = field.getValue();
            arguments[n++] = field.getKey();
            if (value.isContainerNode()) {
                kinds.append('j');
                arguments[n++] = Json.write(value);
            } else {
                kinds.append('v');
                arguments[n++] = scalar(value);
            }
        }
        arguments[0] = kinds.toString();
        return new LazyEvent(event, arguments);
    }

    /** A scalar as the JavaScript value {@code JSON.parse} would make of it. */
    private static Object scalar(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isInt()) {
            return value.intValue();
        }
        if (value.isNumber()) {
            double number = value.doubleValue();
            return Double.isFinite(number) ? number : null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return null;
    }

    Object[] arguments() {
        return arguments;
    }

    /**
     * The event as the plugin left it.
     *
     * @param json the event's JSON from JavaScript
     * @param fromJava {@code true} when the event has its members in the order given and {@code
     *     json} holds only the changed ones; otherwise the names of the members to take from the
     *     Java event, which are null in {@code json}
     */
    ObjectNode after(String json, Value fromJava) {
        try {
            ObjectNode changes = Json.parseObject(json == null ? "null" : json);
            if (!fromJava.isBoolean()) {
                for (long i = 0; i < fromJava.getArraySize(); i++) {
                    String key = fromJava.getArrayElement(i).asString();
                    changes.set(key, Json.throughJavaScript(event.get(key)));
                }
                return changes;
            }
            ObjectNode after = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> i = event.fields(); i.hasNext(); ) {
                Map.Entry<String, JsonNode> field = i.next();
                JsonNode changed = changes.get(field.getKey());
                after.set(
                        field.getKey(),
                        changed != null ? changed : Json.throughJavaScript(field.getValue()));
            }
            return after;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "processEvent left an event that does not serialise to a JSON object", e);
        }
    }
}
