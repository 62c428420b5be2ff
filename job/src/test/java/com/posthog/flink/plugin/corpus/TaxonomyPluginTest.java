package com.posthog.flink.plugin.corpus;

import static com.posthog.flink.plugin.corpus.CorpusPlugin.assertSameJson;
import static com.posthog.flink.plugin.corpus.Events.b;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.posthog.flink.event.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code @posthog/taxonomy-plugin} 0.0.7 in the real runtime: the table of real-plugins.md §4.3 and
 * the plugin's five jest tests. It exports only {@code processEventBatch}, so single events go
 * through the {@code processEvent} the runtime makes of it (spec §1.4).
 */
class TaxonomyPluginTest {

    private static final List<String> CONVENTIONS =
            List.of("camelCase", "PascalCase", "snake_case", "kebab-case", "spaces in between");

    private static CorpusPlugin plugin(String convention) throws Exception {
        return CorpusPlugin.load(
                PluginCorpus.TAXONOMY,
                Json.write(
                        Json.MAPPER.createObjectNode().put("defaultNamingConvention", convention)));
    }

    private static String eventNamed(String name) {
        return Json.write(b().put("event", name));
    }

    /** The table: input, then the output under each convention ({@code =} for unchanged). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "hello_there_world | helloThereWorld | HelloThereWorld | = | hello-there-world | hello there world",
                "$pageview | = | = | = | = | =",
                "$feature_flag_called | $featureFlagCalled | $featureFlagCalled | = | $feature-flag-called"
                        + " | $feature flag called",
                "Hello_world | hello_world | Hello_world | hello_world | hello_world | hello_world",
                "signUpButtonClicked | = | SignUpButtonClicked | sign_up_button_clicked"
                        + " | sign-up-button-clicked | sign up button clicked",
                "user signed-up | user signedUp | User signedUp | user signed_up | user-signed-up"
                        + " | user signed up",
            })
    void renamesTheEventUnderEachConvention(
            String input, String camel, String pascal, String snake, String kebab, String spaces)
            throws Exception {
        List<String> expected = List.of(camel, pascal, snake, kebab, spaces);
        for (int i = 0; i < CONVENTIONS.size(); i++) {
            try (CorpusPlugin plugin = plugin(CONVENTIONS.get(i))) {
                String output = expected.get(i).equals("=") ? input : expected.get(i);
                assertSameJson(plugin.processEvent(eventNamed(input)), eventNamed(output));
            }
        }
    }

    /** The single-event path: only the name changes. */
    @Test
    void singleEventKeepsEverythingButTheName() throws Exception {
        try (CorpusPlugin plugin = plugin("snake_case")) {
            assertThat(plugin.vm.methods()).contains("processEvent", "processEventBatch");
            String input =
                    Json.write(b("{\"event\": \"orderCompleted\", \"properties\": {\"a\": 1}}"));
            assertSameJson(
                    plugin.processEvent(input),
                    Json.write(b("{\"event\": \"order_completed\", \"properties\": {\"a\": 1}}")));
        }
    }

    /**
     * The shipped tests: a batch of every spelling of "hello there world" becomes the convention's
     * spelling, the events otherwise as {@code createEvent} made them.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "camelCase | helloThereWorld",
                "PascalCase | HelloThereWorld",
                "snake_case | hello_there_world",
                "kebab-case | hello-there-world",
                "spaces in between | hello there world",
            })
    void shippedBatchTests(String convention, String expectedName) throws Exception {
        ArrayNode batch = Json.MAPPER.createArrayNode();
        ArrayNode expected = Json.MAPPER.createArrayNode();
        for (String name :
                List.of(
                        "helloThereWorld",
                        "HelloThereWorld",
                        "hello_there_world",
                        "hello-there-world",
                        "hello there world")) {
            batch.add(b().put("event", name));
            expected.add(b().put("event", expectedName));
        }
        try (CorpusPlugin plugin = plugin(convention)) {
            String output =
                    plugin.vm
                            .call("processEventBatch", CorpusPlugin.TIMEOUT, Json.write(batch))
                            .resultJson();
            assertSameJson(output, Json.write(expected));
        }
    }
}
