package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One autocapture element as the original's {@code extractElements} makes it from a raw {@code
 * $elements} entry (spec §3.6 step 2); {@code null} stands for JavaScript's {@code undefined}.
 *
 * <p>Its position in the event's list is its {@code order}, so the record has no field for it.
 * {@code attributes} keeps the raw JSON values (usually strings) in their original key order,
 * because the hash and the stored rows see the values with their JSON types; {@code null} only for
 * elements made by hand (the original's tests do that), never by {@link Elements#extract}.
 *
 * @param text {@code $el_text}, cut to 400 UTF-16 code units
 * @param tagName {@code tag_name}
 * @param href {@code attr__href}, cut to 2048 UTF-16 code units
 * @param attrClass {@code attr__class} split on single spaces, sorted (see {@link Elements})
 * @param attrId {@code attr__id}
 * @param nthChild {@code nth_child}
 * @param nthOfType {@code nth_of_type}
 * @param attributes every {@code attr__*} key of the raw element, values untruncated
 */
public record Element(
        String text,
        String tagName,
        String href,
        List<String> attrClass,
        String attrId,
        Integer nthChild,
        Integer nthOfType,
        Map<String, JsonNode> attributes) {

    public Element {
        attrClass = attrClass == null ? null : List.copyOf(attrClass);
        attributes =
                attributes == null
                        ? null
                        : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** An element with only a tag name and a text, as the original's tests build them. */
    public static Element of(String tagName, String text) {
        return new Element(text, tagName, null, null, null, null, null, null);
    }
}
