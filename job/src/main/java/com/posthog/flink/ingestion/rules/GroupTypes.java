package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Group types and their column indexes (spec §3.6 step 8, §3.10): each team may have up to {@value
 * #MAX_GROUP_TYPES_PER_TEAM} group types, numbered 0 to 4 in the order they are first seen, and an
 * event's {@code $groups} become {@code $group_<index>} properties (materialised as ClickHouse
 * columns {@code $group_0..4}).
 */
public interface GroupTypes {

    int MAX_GROUP_TYPES_PER_TEAM = 5;

    /**
     * The type's index, assigning the next free one if the type is new; {@code null} when the team
     * already has {@value #MAX_GROUP_TYPES_PER_TEAM} other types.
     */
    Integer fetchGroupTypeIndex(long teamId, String groupType) throws Exception;

    /**
     * {@code addGroupProperties}: for each {@code [groupType, key]} of {@code properties.$groups},
     * in {@code Object.entries} order, sets {@code $group_<index>} to the key as given; types
     * without an index are skipped, and {@code $groups} itself stays. Changes and returns the
     * argument. A {@code $groups} that is not an object adds nothing (the original would have
     * iterated a string's or array's indexes as types).
     */
    default ObjectNode addGroupProperties(long teamId, ObjectNode properties) throws Exception {
        JsonNode groups = properties.get("$groups");
        if (groups == null || !groups.isObject()) {
            return properties;
        }
        for (Map.Entry<String, JsonNode> group : JsObjects.entries((ObjectNode) groups)) {
            Integer index = fetchGroupTypeIndex(teamId, group.getKey());
            if (index != null) {
                properties.set("$group_" + index, group.getValue());
            }
        }
        return properties;
    }
}
