package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code personInitialAndUTMProperties} (spec §3.6 step 7): campaign parameters found on an event
 * go to the person through {@code $set}, and the first-seen browser, OS, URL, referrer and campaign
 * through {@code $set_once} as {@code $initial_*}. Both are kept in the stored event properties,
 * and they win over keys the client sent in {@code $set}/{@code $set_once}.
 */
public final class PersonInitialProperties {

    /** Copied into {@code $set}. */
    public static final List<String> CAMPAIGN_KEYS =
            List.of("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "gclid");

    /** Besides the campaign keys, copied into {@code $set_once} as {@code $initial_*}. */
    public static final List<String> INITIAL_KEYS =
            List.of(
                    "$browser",
                    "$browser_version",
                    "$device_type",
                    "$current_url",
                    "$os",
                    "$referring_domain",
                    "$referrer");

    private static final Set<String> CAMPAIGN = Set.copyOf(CAMPAIGN_KEYS);
    private static final Set<String> INITIAL = Set.copyOf(INITIAL_KEYS);

    private PersonInitialProperties() {}

    /**
     * A copy of the properties (keys in JavaScript order) with the additions; the argument is not
     * changed. Keys are taken in the order the properties list them; {@code $browser} becomes
     * {@code $initial_browser}, {@code utm_medium} {@code $initial_utm_medium}. {@code $set} and
     * {@code $set_once} are only replaced when something is added to them; the client's entries
     * come first and are overridden in place.
     */
    public static ObjectNode apply(ObjectNode properties) {
        ObjectNode copy = JsObjects.copy(properties);
        ObjectNode set = Json.MAPPER.createObjectNode();
        ObjectNode setOnce = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> entry : JsObjects.entries(properties)) {
            String key = entry.getKey();
            if (CAMPAIGN.contains(key)) {
                set.set(key, entry.getValue());
            }
            if (CAMPAIGN.contains(key) || INITIAL.contains(key)) {
                setOnce.set("$initial_" + key.replaceFirst("\\$", ""), entry.getValue());
            }
        }
        if (!set.isEmpty()) {
            copy.set("$set", merged(properties.get("$set"), set));
        }
        if (!setOnce.isEmpty()) {
            copy.set("$set_once", merged(properties.get("$set_once"), setOnce));
        }
        return copy;
    }

    /** {@code {...(existing || {}), ...additions}}. */
    private static ObjectNode merged(JsonNode existing, ObjectNode additions) {
        ObjectNode merged = Json.MAPPER.createObjectNode();
        if (Json.truthy(existing)) {
            merged = JsObjects.spread(merged, existing);
        }
        return JsObjects.spread(merged, additions);
    }
}
