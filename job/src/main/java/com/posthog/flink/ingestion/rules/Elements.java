package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Autocapture elements: how the original turns {@code properties.$elements} into element rows (spec
 * §3.6 step 2), into ClickHouse's {@code elements_chain} and into the Postgres element group hash.
 * All three are compared byte for byte with what the original produced (stored chains are parsed by
 * the app's action matching, hashes deduplicate {@code posthog_elementgroup}), so they follow the
 * JavaScript exactly, quirks included.
 */
public final class Elements {

    static final int MAX_TEXT_LENGTH = 400;
    static final int MAX_HREF_LENGTH = 2048;
    private static final String ATTRIBUTE_PREFIX = "attr__";

    private Elements() {}

    // --- extraction

    /**
     * {@code extractElements}: one {@link Element} per raw element, in order.
     *
     * <p>Differences from the original, all for inputs no browser library sends: a raw element that
     * is not an object counts as an empty one (the original throws on {@code null}); a text, tag,
     * href, class or id that is not a string is taken as its JavaScript {@code String(value)} (the
     * original throws or keeps the non-string); {@code nth_child}/{@code nth_of_type} that are not
     * integers (or integer strings) become {@code null} (the original stored them as given and
     * Postgres refused the row).
     *
     * <p>{@code attr_class} comes back sorted: the original's {@code elementsToString} sorts the
     * list in place before the hash is computed and before any row is written, in both pipelines,
     * so every output sees sorted classes.
     *
     * @param rawElements {@code properties.$elements}; anything but an array gives no elements
     */
    public static List<Element> extract(JsonNode rawElements) {
        List<Element> elements = new ArrayList<>();
        if (rawElements == null || !rawElements.isArray()) {
            return elements;
        }
        for (JsonNode raw : rawElements) {
            ObjectNode element =
                    raw != null && raw.isObject()
                            ? (ObjectNode) raw
                            : Json.MAPPER.createObjectNode();
            List<String> attrClass = null;
            String classes = string(element.get("attr__class"));
            if (classes != null) {
                attrClass = new ArrayList<>(Arrays.asList(classes.split(" ", -1)));
                attrClass.sort(null);
            }
            Map<String, JsonNode> attributes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : JsObjects.entries(element)) {
                if (entry.getKey().startsWith(ATTRIBUTE_PREFIX)) {
                    attributes.put(entry.getKey(), entry.getValue());
                }
            }
            elements.add(
                    new Element(
                            truncate(string(element.get("$el_text")), MAX_TEXT_LENGTH),
                            string(element.get("tag_name")),
                            truncate(string(element.get("attr__href")), MAX_HREF_LENGTH),
                            attrClass,
                            string(element.get("attr__id")),
                            integer(element.get("nth_child")),
                            integer(element.get("nth_of_type")),
                            attributes));
        }
        return elements;
    }

    private static String string(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isTextual() ? value.textValue() : Json.jsString(value);
    }

    /** {@code value.slice(0, max)}: UTF-16 code units, as JavaScript counts. */
    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static Integer integer(JsonNode value) {
        if (value == null) {
            return null;
        }
        try {
            BigDecimal number;
            if (value.isNumber()) {
                number = value.decimalValue();
            } else if (value.isTextual()) {
                number = new BigDecimal(value.textValue().trim());
            } else {
                return null;
            }
            return number.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    // --- posthog_event.elements

    /**
     * The JSON array the Postgres pipeline stores in {@code posthog_event.elements}: the extracted
     * elements as {@code JSON.stringify} writes them, so without {@code order} and without the
     * fields that are {@code undefined}. {@code []} when there are none.
     */
    public static String elementsJson(List<Element> elements) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Element element : elements) {
            ObjectNode node = array.addObject();
            putIfPresent(node, "text", element.text());
            putIfPresent(node, "tag_name", element.tagName());
            putIfPresent(node, "href", element.href());
            if (element.attrClass() != null) {
                ArrayNode classes = node.putArray("attr_class");
                element.attrClass().forEach(classes::add);
            }
            putIfPresent(node, "attr_id", element.attrId());
            if (element.nthChild() != null) {
                node.put("nth_child", element.nthChild());
            }
            if (element.nthOfType() != null) {
                node.put("nth_of_type", element.nthOfType());
            }
            if (element.attributes() != null) {
                ObjectNode attributes = node.putObject("attributes");
                element.attributes().forEach(attributes::set);
            }
        }
        return Json.write(array);
    }

    private static void putIfPresent(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    /**
     * The elements back from {@link #elementsJson}, e.g. for a Postgres sink that gets the event as
     * stored columns and must still create the element group. Lossless for what {@link #extract}
     * makes.
     */
    public static List<Element> fromElementsJson(String elementsJson)
            throws JsonProcessingException {
        JsonNode array = Json.parse(elementsJson);
        List<Element> elements = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return elements;
        }
        for (JsonNode node : array) {
            List<String> attrClass = null;
            JsonNode classes = node.get("attr_class");
            if (classes != null && classes.isArray()) {
                attrClass = new ArrayList<>();
                for (JsonNode single : classes) {
                    attrClass.add(Json.jsString(single));
                }
            }
            Map<String, JsonNode> attributes = null;
            JsonNode attributesNode = node.get("attributes");
            if (attributesNode != null && attributesNode.isObject()) {
                attributes = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = attributesNode.fields();
                        fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    attributes.put(field.getKey(), field.getValue());
                }
            }
            elements.add(
                    new Element(
                            string(node.get("text")),
                            string(node.get("tag_name")),
                            string(node.get("href")),
                            attrClass,
                            string(node.get("attr_id")),
                            integer(node.get("nth_child")),
                            integer(node.get("nth_of_type")),
                            attributes));
        }
        return elements;
    }

    // --- elements_chain

    /**
     * {@code elementsToString}: the ClickHouse {@code elements_chain}. Elements joined by {@code
     * ;}; each is the tag name, {@code .class} per class (sorted, {@code "} removed), {@code :},
     * then {@code key="value"} pairs sorted by key as {@code localeCompare} sorts (see {@link
     * LocaleCompare}), with {@code "} escaped as {@code \"} in keys and values: {@code text} (if
     * truthy), {@code nth-child} and {@code nth-of-type} (default 0), {@code href} and {@code
     * attr_id} (if truthy), and every entry of {@code attributes}.
     *
     * <p>Values are written as JavaScript's {@code String(value)}; a {@code null} attribute value
     * gives {@code "null"} where the original threw.
     */
    public static String chain(List<Element> elements) {
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                chain.append(';');
            }
            appendElement(chain, elements.get(i));
        }
        return chain.toString();
    }

    private static void appendElement(StringBuilder chain, Element element) {
        if (element.tagName() != null && !element.tagName().isEmpty()) {
            chain.append(element.tagName());
        }
        if (element.attrClass() != null) {
            List<String> classes = new ArrayList<>(element.attrClass());
            classes.sort(null);
            for (String single : classes) {
                chain.append('.').append(single.replace("\"", ""));
            }
        }
        List<Map.Entry<String, String>> attributes = new ArrayList<>();
        if (element.text() != null && !element.text().isEmpty()) {
            attributes.add(Map.entry("text", element.text()));
        }
        attributes.add(
                Map.entry(
                        "nth-child",
                        Integer.toString(element.nthChild() == null ? 0 : element.nthChild())));
        attributes.add(
                Map.entry(
                        "nth-of-type",
                        Integer.toString(element.nthOfType() == null ? 0 : element.nthOfType())));
        if (element.href() != null && !element.href().isEmpty()) {
            attributes.add(Map.entry("href", element.href()));
        }
        if (element.attrId() != null && !element.attrId().isEmpty()) {
            attributes.add(Map.entry("attr_id", element.attrId()));
        }
        if (element.attributes() != null) {
            for (Map.Entry<String, JsonNode> attribute : element.attributes().entrySet()) {
                // An attribute named like a field above replaces it in place (object spread).
                String value = Json.jsString(attribute.getValue());
                int existing = indexOf(attributes, attribute.getKey());
                if (existing >= 0) {
                    attributes.set(existing, Map.entry(attribute.getKey(), value));
                } else {
                    attributes.add(Map.entry(attribute.getKey(), value));
                }
            }
        }
        // Stable, like Array.prototype.sort: keys that compare equal keep their order.
        attributes.sort(Map.Entry.comparingByKey(LocaleCompare.ORDER));
        chain.append(':');
        for (Map.Entry<String, String> attribute : attributes) {
            chain.append(escapeQuotes(attribute.getKey()))
                    .append("=\"")
                    .append(escapeQuotes(attribute.getValue()))
                    .append('"');
        }
    }

    private static int indexOf(List<Map.Entry<String, String>> entries, String key) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getKey().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static String escapeQuotes(String value) {
        return value.replace("\"", "\\\"");
    }

    // --- element group hash

    /**
     * {@code hashElements}: the md5 hex of the elements serialised as Python's {@code
     * json.dumps(..., sort_keys=True)} would, each as {@code {attr_class, attr_id, attributes,
     * href, nth_child, nth_of_type, order, tag_name, text}} with {@code order} = its index and
     * {@code null} for what is missing. {@code attr_id} is part of it although spec §3.6 leaves it
     * out of the list: the original's test vectors only match with it.
     *
     * <p>The serialisation: keys sorted (UTF-16 order, at every depth), {@code ", "} and {@code ":
     * "} separators, strings as {@code JSON.stringify} escapes them and then every character
     * outside {@code 0x20-0x7F} as {@code \\uXXXX} in lower-case hex, per UTF-16 code unit (so a
     * character outside the BMP becomes its two surrogates), numbers as JavaScript prints them.
     */
    public static String hash(List<Element> elements) {
        StringBuilder dump = new StringBuilder("[");
        for (int order = 0; order < elements.size(); order++) {
            Element element = elements.get(order);
            if (order > 0) {
                dump.append(", ");
            }
            dump.append("{\"attr_class\": ");
            if (element.attrClass() == null) {
                dump.append("null");
            } else {
                dump.append('[');
                for (int i = 0; i < element.attrClass().size(); i++) {
                    if (i > 0) {
                        dump.append(", ");
                    }
                    dumpString(dump, element.attrClass().get(i));
                }
                dump.append(']');
            }
            dump.append(", \"attr_id\": ");
            dumpString(dump, element.attrId());
            dump.append(", \"attributes\": ");
            if (element.attributes() == null) {
                dump.append("null");
            } else {
                ObjectNode attributes = Json.MAPPER.createObjectNode();
                element.attributes().forEach(attributes::set);
                dumpValue(dump, attributes);
            }
            dump.append(", \"href\": ");
            dumpString(dump, element.href());
            dump.append(", \"nth_child\": ");
            dump.append(element.nthChild() == null ? "null" : element.nthChild().toString());
            dump.append(", \"nth_of_type\": ");
            dump.append(element.nthOfType() == null ? "null" : element.nthOfType().toString());
            dump.append(", \"order\": ").append(order);
            dump.append(", \"tag_name\": ");
            dumpString(dump, element.tagName());
            dump.append(", \"text\": ");
            dumpString(dump, element.text());
            dump.append('}');
        }
        dump.append(']');
        return md5Hex(dump.toString());
    }

    /** The Python-compatible serialisation the hash is taken of; for tests and debugging. */
    static String pythonJsonDumps(JsonNode value) {
        StringBuilder dump = new StringBuilder();
        dumpValue(dump, value);
        return dump.toString();
    }

    private static void dumpValue(StringBuilder dump, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            dump.append("null");
        } else if (value.isObject()) {
            List<String> keys = new ArrayList<>();
            value.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            dump.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    dump.append(", ");
                }
                dumpString(dump, keys.get(i));
                dump.append(": ");
                dumpValue(dump, value.get(keys.get(i)));
            }
            dump.append('}');
        } else if (value.isArray()) {
            dump.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    dump.append(", ");
                }
                dumpValue(dump, value.get(i));
            }
            dump.append(']');
        } else if (value.isTextual()) {
            dumpString(dump, value.textValue());
        } else if (value.isNumber()) {
            dump.append(Json.jsNumber(value.decimalValue()));
        } else if (value.isBoolean()) {
            dump.append(value.booleanValue() ? "true" : "false");
        } else {
            // Binary or POJO nodes do not come out of parsed JSON.
            dumpString(dump, value.asText());
        }
    }

    private static void dumpString(StringBuilder dump, String value) {
        if (value == null) {
            dump.append("null");
            return;
        }
        dump.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> dump.append("\\\"");
                case '\\' -> dump.append("\\\\");
                case '\b' -> dump.append("\\b");
                case '\f' -> dump.append("\\f");
                case '\n' -> dump.append("\\n");
                case '\r' -> dump.append("\\r");
                case '\t' -> dump.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7F) {
                        dump.append(String.format("\\u%04x", (int) c));
                    } else {
                        dump.append(c);
                    }
                }
            }
        }
        dump.append('"');
    }

    private static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
