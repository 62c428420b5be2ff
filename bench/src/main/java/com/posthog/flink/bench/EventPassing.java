package com.posthog.flink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.runtime.JsEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * How an event should cross into JavaScript (issue 3 item 7), in a bare context: JSON text ({@code
 * Json.write}, {@code JSON.parse} in JavaScript, {@code JSON.stringify} of the result, Jackson
 * parse; what the runtime passes to hooks other than {@code processEvent}, whose event crosses as a
 * {@code LazyEvent}, measured by the runtime columns), against the event as a host object ({@link
 * ProxyObject}s over the Jackson tree, edited in place; a new result object comes back through
 * {@code JSON.stringify}), and against a JavaScript object built from the Java side member by
 * member (the result back as for JSON). Each variant runs an identity {@code processEvent} and the
 * property flattener (the corpus plugin that reads and rewrites the whole event) in a sandboxed
 * context of the runtime's engine, from a Jackson event to a Jackson event. Before timing, every
 * variant's output is checked against the JSON variant's.
 */
final class EventPassing {

    private static final String FLATTENER = "property-flattener-plugin";

    /**
     * Calls {@code fn(event, meta)} and waits for its promise (GraalJS runs promise jobs before
     * returning to Java); the result is in the returned box's {@code v}.
     */
    private static final String HARNESS =
            """
            (fn, meta) => {
                const call = (event, out) => {
                    const box = {};
                    Promise.resolve(fn(event, meta)).then((result) => { box.v = out(result) });
                    return box;
                };
                return {
                    json: (text) => call(JSON.parse(text), (r) => JSON.stringify(r)),
                    object: (event) => call(event, (r) => r),
                    stringify: (value) => JSON.stringify(value),
                    newObject: () => ({}),
                    newArray: () => [],
                };
            }
            """;

    /** JavaScript has one number type: 12 and 12.0 are the same value. */
    private static final Comparator<JsonNode> SAME_NUMBER =
            (a, b) ->
                    a.isNumber() && b.isNumber()
                            ? Double.compare(a.doubleValue(), b.doubleValue())
                            : a.equals(b) ? 0 : 1;

    private EventPassing() {}

    static void main(Path pluginDir, List<String> events, double warmup, double run, int runs)
            throws Exception {
        Context context = JsEngine.newContext();
        String flattener = Files.readString(pluginDir.resolve(FLATTENER).resolve("index.js"));
        Value identity = context.eval("js", "(event) => event");
        Value flatten =
                context.eval(
                        "js",
                        "((module) => {"
                                + flattener
                                + "\n;return module.exports.processEvent})"
                                + "({ exports: {} })");
        Map<String, Throughput.Step> steps = new LinkedHashMap<>();
        Map<String, Value> functions = new LinkedHashMap<>();
        functions.put("identity", identity);
        functions.put(FLATTENER, flatten);
        for (Map.Entry<String, Value> fn : functions.entrySet()) {
            Value harness =
                    context.eval("js", HARNESS)
                            .execute(
                                    fn.getValue(),
                                    context.eval(
                                            "js", "({config: {separator: '__'}, global: {}})"));
            Variant json =
                    event ->
                            Json.parse(
                                    harness.invokeMember("json", Json.write(event))
                                            .getMember("v")
                                            .asString());
            Variant proxy =
                    event -> {
                        Value result =
                                harness.invokeMember("object", new ObjectProxy(event))
                                        .getMember("v");
                        return result.isProxyObject()
                                        && result.asProxyObject() instanceof ObjectProxy p
                                ? p.node
                                : Json.parse(harness.invokeMember("stringify", result).asString());
                    };
            Variant built =
                    event -> {
                        Value result =
                                harness.invokeMember("object", build(context, harness, event))
                                        .getMember("v");
                        return Json.parse(harness.invokeMember("stringify", result).asString());
                    };
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("JSON text", json);
            variants.put("host object (ProxyObject)", proxy);
            variants.put("JS object built from Java", built);
            for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                String label = fn.getKey() + ", " + variant.getKey();
                int differ = 0;
                for (String event : events) {
                    JsonNode expected = json.apply(Json.parseObject(event));
                    JsonNode actual = variant.getValue().apply(Json.parseObject(event));
                    if (!expected.equals(SAME_NUMBER, actual)) {
                        if (differ++ == 0) {
                            System.out.printf(
                                    "%s: first difference%n  %s%n  %s%n",
                                    label, Json.write(expected), Json.write(actual));
                        }
                    }
                }
                if (differ > 0) {
                    System.out.printf(
                            "%s: %d of %d outputs differ from JSON text%n",
                            label, differ, events.size());
                }
                steps.put(
                        label,
                        event ->
                                Json.write(variant.getValue().apply(Json.parseObject(event)))
                                        .length());
            }
        }
        Throughput.measure(steps, events, warmup, run, runs);
    }

    private interface Variant {
        JsonNode apply(ObjectNode event) throws Exception;
    }

    /** The event as a JavaScript object, set member by member from Java. */
    private static Value build(Context context, Value harness, JsonNode node) {
        if (node.isObject()) {
            Value object = harness.invokeMember("newObject");
            for (Iterator<Map.Entry<String, JsonNode>> i = node.fields(); i.hasNext(); ) {
                Map.Entry<String, JsonNode> field = i.next();
                object.putMember(field.getKey(), build(context, harness, field.getValue()));
            }
            return object;
        }
        if (node.isArray()) {
            Value array = harness.invokeMember("newArray");
            for (int i = 0; i < node.size(); i++) {
                array.setArrayElement(i, build(context, harness, node.get(i)));
            }
            return array;
        }
        return context.asValue(scalar(node));
    }

    private static Object scalar(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return null;
    }

    /** A JavaScript value the plugin stored, back to Jackson. */
    private static JsonNode toJson(Value value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value.isNull()) {
            return nodes.nullNode();
        }
        if (value.isProxyObject() && value.asProxyObject() instanceof ObjectProxy p) {
            return p.node;
        }
        if (value.isProxyObject() && value.asProxyObject() instanceof ArrayProxy p) {
            return p.node;
        }
        if (value.isBoolean()) {
            return nodes.booleanNode(value.asBoolean());
        }
        if (value.isString()) {
            return nodes.textNode(value.asString());
        }
        if (value.isNumber()) {
            return value.fitsInLong()
                    ? nodes.numberNode(value.asLong())
                    : nodes.numberNode(value.asDouble());
        }
        if (value.hasArrayElements()) {
            ArrayNode array = nodes.arrayNode();
            for (long i = 0; i < value.getArraySize(); i++) {
                array.add(toJson(value.getArrayElement(i)));
            }
            return array;
        }
        ObjectNode object = nodes.objectNode();
        for (String key : value.getMemberKeys()) {
            object.set(key, toJson(value.getMember(key)));
        }
        return object;
    }

    private static Object toGuest(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            return new ObjectProxy((ObjectNode) node);
        }
        if (node.isArray()) {
            return new ArrayProxy((ArrayNode) node);
        }
        return scalar(node);
    }

    /** An event object as a host object: reads and writes go to the Jackson tree. */
    private static final class ObjectProxy implements ProxyObject {
        final ObjectNode node;

        ObjectProxy(ObjectNode node) {
            this.node = node;
        }

        @Override
        public Object getMember(String key) {
            return toGuest(node.get(key));
        }

        @Override
        public Object getMemberKeys() {
            List<String> keys = new java.util.ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(keys::add);
            return ProxyArray.fromList(new java.util.ArrayList<>(keys));
        }

        @Override
        public boolean hasMember(String key) {
            return node.has(key);
        }

        @Override
        public void putMember(String key, Value value) {
            node.set(key, toJson(value));
        }

        @Override
        public boolean removeMember(String key) {
            return node.remove(key) != null;
        }
    }

    private static final class ArrayProxy implements ProxyArray {
        final ArrayNode node;

        ArrayProxy(ArrayNode node) {
            this.node = node;
        }

        @Override
        public Object get(long index) {
            return toGuest(node.get((int) index));
        }

        @Override
        public void set(long index, Value value) {
            while (node.size() <= index) {
                node.addNull();
            }
            node.set((int) index, toJson(value));
        }

        @Override
        public long getSize() {
            return node.size();
        }
    }
}
