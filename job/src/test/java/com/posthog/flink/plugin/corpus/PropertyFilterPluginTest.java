package com.posthog.flink.plugin.corpus;

import static com.posthog.flink.plugin.corpus.CorpusPlugin.assertSameJson;
import static com.posthog.flink.plugin.corpus.Events.b;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code @posthog/property-filter-plugin} 0.0.7 in the real runtime: the cases of real-plugins.md
 * §4.1 and the plugin's own jest test. Config is read by {@code setupPlugin} into {@code global}.
 */
class PropertyFilterPluginTest {

    /** Runs one event through a fresh plugin with {@code properties} as its config. */
    private static String filter(String properties, ObjectNode event) throws Exception {
        try (CorpusPlugin plugin =
                CorpusPlugin.load(
                        PluginCorpus.PROPERTY_FILTER,
                        Json.write(Json.MAPPER.createObjectNode().put("properties", properties)))) {
            return plugin.processEvent(Json.write(event));
        }
    }

    /** Case 1, the shipped test's input: nested paths are removed, the rest stays. */
    @Test
    void removesTopLevelAndNestedProperties() throws Exception {
        String output =
                filter(
                        "gender,$set.age,foo.bar.baz.one,nonExisting",
                        b(
                                """
                                {"properties": {"name": "Mr. Hog", "gender": "male",
                                  "$set": {"age": 35, "pet": "dog", "firstName": "Post"},
                                  "foo": {"bar": {"baz": {"one": "one", "two": "two"}}}}}
                                """));
        assertSameJson(
                output,
                Json.write(
                        b(
                                """
                                {"properties": {"name": "Mr. Hog",
                                  "$set": {"pet": "dog", "firstName": "Post"},
                                  "foo": {"bar": {"baz": {"two": "two"}}}}}
                                """)));
    }

    /** Case 2: {@code $ip} also deletes the top-level {@code ip}. */
    @Test
    void ipEntryDeletesTheEventsIp() throws Exception {
        String output =
                filter(
                        "$ip",
                        b(
                                "{\"ip\": \"1.2.3.4\", \"properties\": {\"$ip\": \"1.2.3.4\", \"keep\": 1}}"));
        ObjectNode expected = b("{\"properties\": {\"keep\": 1}}");
        expected.remove("ip");
        assertSameJson(output, Json.write(expected));
    }

    /**
     * Case 3, a quirk: the intermediate levels are rebuilt, so the sibling {@code foo.qux} is lost.
     */
    @Test
    void nestedPathDropsSiblingsOfItsParents() throws Exception {
        String output =
                filter(
                        "foo.bar.x",
                        b(
                                "{\"properties\": {\"foo\": {\"bar\": {\"x\": 1, \"y\": 2}, \"qux\": 3}, \"top\": true}}"));
        assertSameJson(
                output,
                Json.write(b("{\"properties\": {\"foo\": {\"bar\": {\"y\": 2}}, \"top\": true}}")));
    }

    /** Case 4, a quirk: a nested path whose parent is missing adds an empty object. */
    @Test
    void missingParentAddsAnEmptyObject() throws Exception {
        String output = filter("a.b", b("{\"properties\": {\"z\": 1}}"));
        assertSameJson(output, Json.write(b("{\"properties\": {\"z\": 1, \"a\": {}}}")));
    }

    /** Case 5: an event without properties gets an empty object. */
    @Test
    void eventWithoutPropertiesGetsEmptyProperties() throws Exception {
        String output = filter("x", b());
        assertSameJson(output, Json.write(b("{\"properties\": {}}")));
    }

    /** Case 6: the config is split on commas without trimming, so {@code " bar"} is a key. */
    @Test
    void configIsNotTrimmed() throws Exception {
        String output =
                filter("foo, bar", b("{\"properties\": {\"foo\": 1, \"bar\": 2, \" bar\": 3}}"));
        assertSameJson(output, Json.write(b("{\"properties\": {\"bar\": 2}}")));
    }

    /**
     * In a chain: the plugin returns a new object, so the {@code $plugins_*} lists, which the
     * original wrote on the event that came in, are not on the event that goes on (spec §2.2).
     */
    @Test
    void inAChainTheNewObjectLosesTheBookkeeping() throws Exception {
        try (CorpusPlugin plugin =
                CorpusPlugin.load(PluginCorpus.PROPERTY_FILTER, "{\"properties\": \"gender\"}")) {
            ObjectNode output =
                    plugin.chain(
                            Json.write(
                                    b("{\"properties\": {\"gender\": \"f\", \"name\": \"n\"}}")));
            assertSameJson(
                    Json.write(output), Json.write(b("{\"properties\": {\"name\": \"n\"}}")));
            assertThat(plugin.chainFailures).isEmpty();
        }
    }
}
