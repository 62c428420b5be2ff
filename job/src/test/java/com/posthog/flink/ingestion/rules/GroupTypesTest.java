package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupTypesTest {

    /** A fixed mapping that records the lookups. */
    private static final class FixedGroupTypes implements GroupTypes {
        final Map<String, Integer> indexes;
        final List<String> asked = new ArrayList<>();

        FixedGroupTypes(Map<String, Integer> indexes) {
            this.indexes = indexes;
        }

        @Override
        public Integer fetchGroupTypeIndex(long teamId, String groupType) {
            asked.add(groupType);
            return indexes.get(groupType);
        }
    }

    @Test
    void scenario45() throws Exception {
        FixedGroupTypes groupTypes = new FixedGroupTypes(Map.of("organization", 0, "project", 1));
        ObjectNode properties =
                Json.parseObject(
                        "{\"$groups\": {\"organization\": \"PostHog\", \"project\": \"web\","
                                + " \"foobar\": \"afsafa\"}, \"a\": 1}");

        ObjectNode result = groupTypes.addGroupProperties(2, properties);

        assertThat(result).isSameAs(properties);
        assertThat(result)
                .isEqualTo(
                        Json.parseObject(
                                "{\"$groups\": {\"organization\": \"PostHog\", \"project\": \"web\","
                                        + " \"foobar\": \"afsafa\"}, \"a\": 1,"
                                        + " \"$group_0\": \"PostHog\", \"$group_1\": \"web\"}"));
        assertThat(groupTypes.asked).containsExactly("organization", "project", "foobar");
    }

    @Test
    void noGroupsNoLookups() throws Exception {
        FixedGroupTypes groupTypes = new FixedGroupTypes(Map.of());
        ObjectNode properties = Json.parseObject("{\"$groups\": \"org\", \"b\": 2}");

        assertThat(groupTypes.addGroupProperties(2, properties))
                .isEqualTo(Json.parseObject("{\"$groups\": \"org\", \"b\": 2}"));
        groupTypes.addGroupProperties(2, Json.parseObject("{}"));
        assertThat(groupTypes.asked).isEmpty();
    }

    @Test
    void keyValuesAreCopiedAsGiven() throws Exception {
        FixedGroupTypes groupTypes = new FixedGroupTypes(Map.of("company", 3));
        ObjectNode properties = Json.parseObject("{\"$groups\": {\"company\": 42}}");

        groupTypes.addGroupProperties(2, properties);

        assertThat(properties.get("$group_3").intValue()).isEqualTo(42);
    }
}
