package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefinitionsTest {

    /** Scenario 13's properties at the definitions step: $elements removed, $ip added. */
    static ObjectNode scenario13Properties() throws Exception {
        return Json.parseObject(
                """
                {"distinct_id": 2, "token": "token", "$browser": "Chrome",
                 "$current_url": "https://test.com", "$os": "Mac OS X", "$browser_version": false,
                 "$initial_referring_domain": "https://google.com",
                 "$initial_referrer_url": "https://google.com/?q=posthog",
                 "utm_medium": "twitter", "gclid": "GOOGLE ADS ID", "$ip": "127.0.0.1"}
                """);
    }

    static final List<PropertyDefinition> SCENARIO_13_PROPERTIES =
            List.of(
                    new PropertyDefinition("distinct_id", true),
                    new PropertyDefinition("token", false),
                    new PropertyDefinition("$browser", false),
                    new PropertyDefinition("$current_url", false),
                    new PropertyDefinition("$os", false),
                    new PropertyDefinition("$browser_version", false),
                    new PropertyDefinition("$initial_referring_domain", false),
                    new PropertyDefinition("$initial_referrer_url", false),
                    new PropertyDefinition("utm_medium", false),
                    new PropertyDefinition("gclid", false),
                    new PropertyDefinition("$ip", false));

    @Test
    void scenario13() throws Exception {
        Definitions definitions = new Definitions();

        Definitions.Update update = definitions.pending("$autocapture", scenario13Properties());

        assertThat(update.eventNames()).containsExactly("$autocapture");
        assertThat(update.properties()).containsExactlyElementsOf(SCENARIO_13_PROPERTIES);
        assertThat(update.markTeamIngested()).isTrue();
        // Computing changes nothing; remembering does.
        assertThat(definitions.eventNames()).isEmpty();
        definitions.remember(update);
        assertThat(definitions.eventNames()).containsExactly("$autocapture");
        assertThat(definitions.propertyNames()).hasSize(11);
        assertThat(definitions.teamIngestedEvent()).isTrue();
        assertThat(definitions.pending("$autocapture", scenario13Properties()))
                .isSameAs(Definitions.Update.NONE);
    }

    @Test
    void scenario43() throws Exception {
        Definitions definitions = new Definitions(new HashSet<>(), new HashSet<>(), true);

        Definitions.Update update =
                definitions.pending(
                        "purchase",
                        Json.parseObject(
                                "{\"price\": 299.99, \"name\": \"AirPods Pro\", \"$ip\": \"127.0.0.1\"}"));

        assertThat(update.eventNames()).containsExactly("purchase");
        assertThat(update.properties())
                .containsExactly(
                        new PropertyDefinition("price", true),
                        new PropertyDefinition("name", false),
                        new PropertyDefinition("$ip", false));
        assertThat(update.markTeamIngested()).isFalse();
    }

    /** Scenario 90: only unknown names are added. */
    @Test
    void onlyUnknownNames() throws Exception {
        Definitions definitions =
                new Definitions(
                        new HashSet<>(Set.of("$pageview")),
                        new HashSet<>(Set.of("property_name", "numeric_prop")),
                        true);

        Definitions.Update update =
                definitions.pending(
                        "new-event",
                        Json.parseObject(
                                "{\"property_name\": \"efg\", \"number\": 4, \"numeric_prop\": 5}"));

        assertThat(update.eventNames()).containsExactly("new-event");
        assertThat(update.properties()).containsExactly(new PropertyDefinition("number", true));
        assertThat(definitions.newEventNames("$pageview")).isEmpty();
        assertThat(
                        definitions.newProperties(
                                "$pageview", Json.parseObject("{\"property_name\": 1}")))
                .isEmpty();
    }

    @Test
    void numericalIsDecidedAtFirstSight() throws Exception {
        Definitions definitions = new Definitions(new HashSet<>(), new HashSet<>(), true);
        definitions.remember(definitions.pending("e", Json.parseObject("{\"a\": \"1\"}")));

        assertThat(definitions.newProperties("e", Json.parseObject("{\"a\": 1, \"b\": \"2\"}")))
                .containsExactly(new PropertyDefinition("b", false));
    }

    @Test
    void pluginMetricsAndSnapshotsGetNothing() throws Exception {
        Definitions definitions = new Definitions();
        ObjectNode properties = Json.parseObject("{\"a\": 1}");

        assertThat(definitions.pending("$$plugin_metrics", properties))
                .isSameAs(Definitions.Update.NONE);
        assertThat(definitions.pending("$snapshot", properties)).isSameAs(Definitions.Update.NONE);
        assertThat(definitions.newEventNames("$snapshot")).isEmpty();
        assertThat(definitions.newProperties("$$plugin_metrics", properties)).isEmpty();
    }

    @Test
    void keysInJavaScriptOrder() throws Exception {
        Definitions definitions = new Definitions(new HashSet<>(), new HashSet<>(), true);

        assertThat(
                        definitions.newProperties(
                                "e", Json.parseObject("{\"z\": 1, \"5\": 2, \"1\": 3}")))
                .extracting(PropertyDefinition::name)
                .containsExactly("1", "5", "z");
    }

    @Test
    void teamFlagAloneIsAnUpdate() throws Exception {
        Definitions definitions =
                new Definitions(new HashSet<>(Set.of("e")), new HashSet<>(), false);

        Definitions.Update update = definitions.pending("e", Json.MAPPER.createObjectNode());

        assertThat(update.isEmpty()).isFalse();
        assertThat(update.markTeamIngested()).isTrue();
    }
}
