package com.posthog.flink.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The one JSON mapper of the job, and JavaScript's view of JSON values. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    public static ObjectNode parseObject(String text) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || !node.isObject()) {
            throw new JsonProcessingException("not a JSON object") {};
        }
        return (ObjectNode) node;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** JavaScript truthiness of a JSON value; a missing value is {@code undefined}, so falsy. */
    public static boolean truthy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            return value != 0 && !Double.isNaN(value);
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty();
        }
        return true;
    }

    /** JavaScript {@code String(value)}; a missing value is {@code undefined}. */
    public static String jsString(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "undefined";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return jsNumber(node.decimalValue());
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    joined.append(',');
                }
                JsonNode element = node.get(i);
                if (!element.isNull()) {
                    joined.append(jsString(element));
                }
            }
            return joined.toString();
        }
        return "[object Object]";
    }

    /** A number as JavaScript prints it: {@code 35}, not {@code 35.0}. */
    public static String jsNumber(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        double asDouble = stripped.doubleValue();
        if (asDouble != 0 && (Math.abs(asDouble) >= 1e21 || Math.abs(asDouble) < 1e-6)) {
            String[] parts = Double.toString(asDouble).split("E");
            String mantissa =
                    parts[0].endsWith(".0")
                            ? parts[0].substring(0, parts[0].length() - 2)
                            : parts[0];
            return mantissa + "e" + (parts[1].startsWith("-") ? parts[1] : "+" + parts[1]);
        }
        return stripped.scale() <= 0
                ? stripped.toBigInteger().toString()
                : stripped.toPlainString();
    }

    /**
     * The value as Jackson reads it back after JavaScript's {@code JSON.parse} and {@code
     * JSON.stringify}: numbers become doubles (integral ones read back as integers, non-finite ones
     * as null), and in each object the keys that are array indices come first, ascending, as
     * JavaScript orders them. Returns {@code node} itself when nothing changes.
     */
    public static JsonNode throughJavaScript(JsonNode node) {
        if (node.isNumber()) {
            return jsNumberNode(node);
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                JsonNode seen = throughJavaScript(child);
                if (seen != child && copy == null) {
                    copy = MAPPER.createArrayNode();
                    for (int j = 0; j < i; j++) {
                        copy.add(node.get(j));
                    }
                }
                if (copy != null) {
                    copy.add(seen);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isObject()) {
            return throughJavaScript((ObjectNode) node);
        }
        return node;
    }

    private static JsonNode throughJavaScript(ObjectNode node) {
        Map<String, JsonNode> changed = null;
        boolean reorder = false;
        boolean afterName = false;
        long lastIndex = -1;
        for (Iterator<Map.Entry<String, JsonNode>> i = node.fields(); i.hasNext(); ) {
            Map.Entry<String, JsonNode> field = i.next();
            JsonNode value = throughJavaScript(field.getValue());
            if (value != field.getValue()) {
                changed = changed == null ? new HashMap<>() : changed;
                changed.put(field.getKey(), value);
            }
            long index = arrayIndex(field.getKey());
            if (index < 0) {
                afterName = true;
            } else {
                reorder |= afterName || index < lastIndex;
                lastIndex = index;
            }
        }
        if (changed == null && !reorder) {
            return node;
        }
        ObjectNode copy = MAPPER.createObjectNode();
        if (reorder) {
            List<String> indexKeys = new ArrayList<>();
            node.fieldNames()
                    .forEachRemaining(
                            key -> {
                                if (arrayIndex(key) >= 0) {
                                    indexKeys.add(key);
                                }
                            });
            indexKeys.sort(Comparator.comparingLong(Json::arrayIndex));
            indexKeys.forEach(key -> copy.set(key, node.get(key)));
        }
        // Keys already placed keep their place when set again.
        copy.setAll(node);
        if (changed != null) {
            copy.setAll(changed);
        }
        return copy;
    }

    /** The key as an array index (a canonical integer below 2^32 - 1), or -1. */
    private static long arrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value < 0xFFFF_FFFFL ? value : -1;
    }

    /** A number as Jackson reads what JavaScript prints for it. */
    private static JsonNode jsNumberNode(JsonNode number) {
        if (number.isInt()) {
            return number;
        }
        double value = number.doubleValue();
        if (!Double.isFinite(value)) {
            return NullNode.getInstance();
        }
        if (value != Math.rint(value) || Math.abs(value) >= 1e21) {
            return number.isDouble() ? number : DoubleNode.valueOf(value);
        }
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return IntNode.valueOf((int) value);
        }
        if (Math.abs(value) <= 0x1p53) {
            return number.isLong() && number.longValue() == (long) value
                    ? number
                    : LongNode.valueOf((long) value);
        }
        // Past 2^53 JavaScript prints the shortest digits that read back as the same double,
        // then zeros: 2^60 is 1152921504606847000.
        BigDecimal exact = new BigDecimal(value);
        BigInteger printed = exact.toBigInteger();
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                printed = rounded.toBigInteger();
                break;
            }
        }
        return printed.bitLength() < 64
                ? LongNode.valueOf(printed.longValue())
                : BigIntegerNode.valueOf(printed);
    }
}
