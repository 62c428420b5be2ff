package com.posthog.flink.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

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
}
