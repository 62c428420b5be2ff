package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JavaScript's view of a JSON object's keys, which the original's results depend on.
 *
 * <p>{@code Object.entries}, {@code Object.keys}, spreads and {@code JSON.stringify} list the keys
 * that are array indexes ({@code "0"}, {@code "42"}) first, in ascending numeric order, and then
 * the other keys in insertion order. Jackson keeps pure insertion order. The order decides which
 * definitions are written first, which group type gets which index, and the text of the stored
 * properties.
 */
public final class JsObjects {

    private static final long MAX_ARRAY_INDEX = 4_294_967_294L; // 2^32 - 2

    private JsObjects() {}

    /**
     * True for a canonical array index: {@code "0"}, {@code "7"}, not {@code "07"} or {@code "-1"}.
     */
    public static boolean isArrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 10) {
            return false;
        }
        if (length > 1 && key.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Long.parseLong(key) <= MAX_ARRAY_INDEX;
    }

    /** The keys in the order {@code Object.keys} gives them. */
    public static List<String> keys(ObjectNode object) {
        List<String> indexes = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            (isArrayIndex(name) ? indexes : others).add(name);
        }
        if (indexes.isEmpty()) {
            return others;
        }
        indexes.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        indexes.addAll(others);
        return indexes;
    }

    /** {@code {...object}}: a shallow copy, keys in JavaScript order. */
    public static ObjectNode copy(ObjectNode object) {
        ObjectNode copy = Json.MAPPER.createObjectNode();
        for (String key : keys(object)) {
            copy.set(key, object.get(key));
        }
        return copy;
    }

    /**
     * {@code {...target, ...value}} written into {@code target}: an object spreads its entries, an
     * array its elements under their indexes, a string its UTF-16 code units; anything else
     * (numbers, booleans, null) spreads nothing. A key already present keeps its place and takes
     * the new value. The result is returned in JavaScript key order.
     */
    public static ObjectNode spread(ObjectNode target, JsonNode value) {
        if (value == null) {
            return copy(target);
        }
        if (value.isObject()) {
            for (String key : keys((ObjectNode) value)) {
                target.set(key, value.get(key));
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                target.set(Integer.toString(i), value.get(i));
            }
        } else if (value.isTextual()) {
            String text = value.textValue();
            for (int i = 0; i < text.length(); i++) {
                target.put(Integer.toString(i), String.valueOf(text.charAt(i)));
            }
        }
        return copy(target);
    }

    /** The entries in {@code Object.entries} order. */
    public static List<Map.Entry<String, JsonNode>> entries(ObjectNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (String key : keys(object)) {
            entries.add(Map.entry(key, object.get(key)));
        }
        return entries;
    }
}
