package com.posthog.flink.plugin.corpus;

import static com.posthog.flink.plugin.corpus.CorpusPlugin.assertSameJson;
import static com.posthog.flink.plugin.corpus.Events.b;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code @posthog/property-flattener-plugin} 0.0.7 in the real runtime: the cases of
 * real-plugins.md §4.2 and the plugin's three jest tests. The event is changed in place.
 */
class PropertyFlattenerPluginTest {

    private static String flatten(String separator, ObjectNode event) throws Exception {
        try (CorpusPlugin plugin =
                CorpusPlugin.load(
                        PluginCorpus.PROPERTY_FLATTENER,
                        Json.write(Json.MAPPER.createObjectNode().put("separator", separator)))) {
            return plugin.processEvent(Json.write(event));
        }
    }

    private static final String NESTED =
            """
            {"a": {"b": {"c": {"d": {"e": {"f": "nested under e"}, "z": "nested under d"},
                               "z": "nested under c"},
                         "z": "nested under b"},
                   "z": "nested under a"},
             "w": {"array": [{"z": "nested in w array"}]},
             "x": "not nested", "y": "not nested either"}
            """;

    /** Case 1, the shipped "flattens all nested properties": originals stay, flat keys added. */
    @Test
    void flattensAllNestedProperties() throws Exception {
        String output = flatten("__", b("{\"event\": \"test\", \"properties\": " + NESTED + "}"));
        ObjectNode expected = b("{\"event\": \"test\", \"properties\": " + NESTED + "}");
        ((ObjectNode) expected.get("properties"))
                .setAll(
                        Events.object(
                                """
                                {"a__b__c__d__e__f": "nested under e", "a__b__c__d__z": "nested under d",
                                 "a__b__c__z": "nested under c", "a__b__z": "nested under b",
                                 "a__z": "nested under a", "w__array__0__z": "nested in w array"}
                                """));
        assertSameJson(output, Json.write(expected));
    }

    /** Case 2: array indexes become path segments; a top-level null adds nothing. */
    @Test
    void dotSeparatorAndArrays() throws Exception {
        String properties = "{\"cart\": {\"items\": [\"a\", \"b\"], \"total\": 10}, \"n\": null}";
        String output =
                flatten(".", b("{\"event\": \"purchase\", \"properties\": " + properties + "}"));
        ObjectNode expected = b("{\"event\": \"purchase\", \"properties\": " + properties + "}");
        ((ObjectNode) expected.get("properties"))
                .setAll(
                        Events.object(
                                "{\"cart.items.0\": \"a\", \"cart.items.1\": \"b\", \"cart.total\": 10}"));
        assertSameJson(output, Json.write(expected));
    }

    /** Case 3: {@code $autocapture} is left alone. */
    @Test
    void autocaptureIsUnchanged() throws Exception {
        String input =
                Json.write(
                        b(
                                "{\"event\": \"$autocapture\", \"properties\":"
                                        + " {\"a\": {\"b\": 1}, \"$elements\": [{\"tag_name\": \"span\"}]}}"));
        assertSameJson(flatten("__", Json.parseObject(input)), input);
    }

    /** The shipped "test autocapture". */
    @Test
    void shippedAutocaptureTest() throws Exception {
        String input =
                Json.write(
                        b(
                                """
                                {"event": "$autocapture", "properties": {"$elements": [
                                  {"tag_name": "span", "nth_child": 1}, {"tag_name": "div", "nth_child": 1}]}}
                                """));
        assertSameJson(flatten("__", Json.parseObject(input)), input);
    }

    /** Case 4: {@code $set} and {@code $set_once} are flattened inside themselves only. */
    @Test
    void setAndSetOnceAreFlattenedInsideThemselves() throws Exception {
        String output =
                flatten(
                        "__",
                        b(
                                """
                                {"event": "$identify", "properties": {
                                  "$set": {"example": {"company_size": 20, "category": ["a", "b"]}},
                                  "$set_once": {"o": {"k": "v"}}}}
                                """));
        assertSameJson(
                output,
                Json.write(
                        b(
                                """
                                {"event": "$identify", "properties": {
                                  "$set": {"example": {"company_size": 20, "category": ["a", "b"]},
                                           "example__company_size": 20,
                                           "example__category__0": "a", "example__category__1": "b"},
                                  "$set_once": {"o": {"k": "v"}, "o__k": "v"}}}
                                """)));
    }

    /** The shipped "test set and set once": the expected properties it states. */
    @Test
    void shippedSetAndSetOnceTest() throws Exception {
        String example = "{\"example\": {\"company_size\": 20, \"category\": [\"a\", \"b\"]}}";
        String output =
                flatten(
                        "__",
                        b(
                                "{\"event\": \"$identify\", \"properties\": {\"$set\": "
                                        + example
                                        + ", \"$set_once\": "
                                        + example
                                        + "}}"));
        String flattened =
                """
                {"example": {"company_size": 20, "category": ["a", "b"]},
                 "example__company_size": 20, "example__category__0": "a", "example__category__1": "b"}
                """;
        assertSameJson(
                Json.write(Json.parse(output).get("properties")),
                "{\"$set\": " + flattened + ", \"$set_once\": " + flattened + "}");
    }

    /** Case 5: internal properties and empty objects add nothing; a nested null adds its key. */
    @Test
    void internalPropertiesAndEmptyObjectsAddNothing() throws Exception {
        String properties =
                """
                {"$active_feature_flags": ["f1", "f2"], "$groups": {"company": "x"},
                 "empty": {}, "a": {"b": null}}
                """;
        String output =
                flatten("/", b("{\"event\": \"$pageview\", \"properties\": " + properties + "}"));
        ObjectNode expected = b("{\"event\": \"$pageview\", \"properties\": " + properties + "}");
        ((ObjectNode) expected.get("properties")).putNull("a/b");
        assertSameJson(output, Json.write(expected));
    }

    /** In a chain: changed in place, so the event keeps the {@code $plugins_*} lists. */
    @Test
    void inAChainTheBookkeepingIsKept() throws Exception {
        try (CorpusPlugin plugin =
                CorpusPlugin.load(PluginCorpus.PROPERTY_FLATTENER, "{\"separator\": \"__\"}")) {
            ObjectNode output =
                    plugin.chain(
                            Json.write(
                                    b("{\"event\": \"e\", \"properties\": {\"a\": {\"b\": 1}}}")));
            assertSameJson(
                    Json.write(output),
                    Json.write(
                            b(
                                    """
                                    {"event": "e", "properties": {"a": {"b": 1}, "a__b": 1,
                                      "$plugins_succeeded": ["property-flattener-plugin (1)"],
                                      "$plugins_failed": [], "$plugins_deferred": []}}
                                    """)));
            assertThat(plugin.chainFailures).isEmpty();
        }
    }
}
