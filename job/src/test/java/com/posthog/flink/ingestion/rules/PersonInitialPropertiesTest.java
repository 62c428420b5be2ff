package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonInitialPropertiesTest {

    private static ObjectNode object(String json) throws Exception {
        return Json.parseObject(json);
    }

    private static List<String> keys(ObjectNode node) {
        return JsObjects.keys(node);
    }

    @Test
    void scenario13() throws Exception {
        ObjectNode properties =
                object(
                        """
                        {"distinct_id": 2, "token": "token", "$browser": "Chrome",
                         "$current_url": "https://test.com", "$os": "Mac OS X", "$browser_version": false,
                         "$initial_referring_domain": "https://google.com",
                         "$initial_referrer_url": "https://google.com/?q=posthog",
                         "utm_medium": "twitter", "gclid": "GOOGLE ADS ID", "$ip": "127.0.0.1"}
                        """);
        ObjectNode before = properties.deepCopy();

        ObjectNode result = PersonInitialProperties.apply(properties);

        assertThat(properties).isEqualTo(before);
        assertThat(result.get("$set"))
                .isEqualTo(object("{\"utm_medium\": \"twitter\", \"gclid\": \"GOOGLE ADS ID\"}"));
        assertThat(result.get("$set_once"))
                .isEqualTo(
                        object(
                                """
                                {"$initial_browser": "Chrome", "$initial_current_url": "https://test.com",
                                 "$initial_os": "Mac OS X", "$initial_browser_version": false,
                                 "$initial_utm_medium": "twitter", "$initial_gclid": "GOOGLE ADS ID"}
                                """));
        assertThat(keys((ObjectNode) result.get("$set_once")))
                .containsExactly(
                        "$initial_browser",
                        "$initial_current_url",
                        "$initial_os",
                        "$initial_browser_version",
                        "$initial_utm_medium",
                        "$initial_gclid");
        // The rest is untouched; the two objects are added at the end.
        ObjectNode rest = result.deepCopy();
        rest.remove(List.of("$set", "$set_once"));
        assertThat(rest).isEqualTo(before);
        assertThat(keys(result).subList(keys(result).size() - 2, keys(result).size()))
                .containsExactly("$set", "$set_once");
    }

    @Test
    void scenario14SecondEvent() throws Exception {
        ObjectNode result =
                PersonInitialProperties.apply(
                        object(
                                """
                                {"utm_medium": "instagram", "$browser": "Firefox", "$browser_version": 80,
                                 "$current_url": "https://test.com/pricing"}
                                """));

        assertThat(result.get("$set")).isEqualTo(object("{\"utm_medium\": \"instagram\"}"));
        assertThat(result.get("$set_once"))
                .isEqualTo(
                        object(
                                """
                                {"$initial_browser": "Firefox", "$initial_browser_version": 80,
                                 "$initial_utm_medium": "instagram",
                                 "$initial_current_url": "https://test.com/pricing"}
                                """));
    }

    @Test
    void scenario15OnlyCurrentUrl() throws Exception {
        ObjectNode result =
                PersonInitialProperties.apply(object("{\"$current_url\": \"https://test.com\"}"));

        assertThat(result.has("$set")).isFalse();
        assertThat(result.get("$set_once"))
                .isEqualTo(object("{\"$initial_current_url\": \"https://test.com\"}"));
    }

    @Test
    void derivedKeysWinOverExplicitOnesWhichKeepTheirPlace() throws Exception {
        ObjectNode result =
                PersonInitialProperties.apply(
                        object(
                                """
                                {"$set": {"utm_source": "explicit", "a": 1},
                                 "$set_once": {"$initial_referrer": "explicit", "b": 2},
                                 "utm_source": "derived", "$referrer": "https://r", "$device_type": "Mobile",
                                 "$referring_domain": "r", "utm_campaign": "c", "utm_content": "x",
                                 "utm_term": "t", "other": true}
                                """));

        assertThat(keys((ObjectNode) result.get("$set")))
                .containsExactly("utm_source", "a", "utm_campaign", "utm_content", "utm_term");
        assertThat(result.get("$set").get("utm_source").textValue()).isEqualTo("derived");
        assertThat(keys((ObjectNode) result.get("$set_once")))
                .containsExactly(
                        "$initial_referrer",
                        "b",
                        "$initial_utm_source",
                        "$initial_device_type",
                        "$initial_referring_domain",
                        "$initial_utm_campaign",
                        "$initial_utm_content",
                        "$initial_utm_term");
        assertThat(result.get("$set_once").get("$initial_referrer").textValue())
                .isEqualTo("https://r");
        assertThat(keys(result).subList(0, 2)).containsExactly("$set", "$set_once");
    }

    @Test
    void nothingToAddLeavesSetAlone() throws Exception {
        ObjectNode properties = object("{\"$set\": \"not an object\", \"x\": 1}");

        ObjectNode result = PersonInitialProperties.apply(properties);

        assertThat(result).isEqualTo(properties);
        assertThat(result).isNotSameAs(properties);
    }

    @Test
    void aNonObjectSetSpreadsLikeJavaScript() throws Exception {
        ObjectNode result =
                PersonInitialProperties.apply(object("{\"$set\": \"ab\", \"gclid\": \"g\"}"));

        // {...'ab', gclid: 'g'} is {0: 'a', 1: 'b', gclid: 'g'}.
        assertThat(result.get("$set"))
                .isEqualTo(object("{\"0\": \"a\", \"1\": \"b\", \"gclid\": \"g\"}"));
        ObjectNode numeric =
                PersonInitialProperties.apply(object("{\"$set\": 5, \"gclid\": \"g\"}"));
        assertThat(numeric.get("$set")).isEqualTo(object("{\"gclid\": \"g\"}"));
    }

    @Test
    void copyPutsArrayIndexKeysFirstLikeJavaScript() throws Exception {
        ObjectNode result =
                PersonInitialProperties.apply(object("{\"b\": 1, \"10\": 2, \"2\": 3, \"01\": 4}"));

        assertThat(keys(result)).containsExactly("2", "10", "b", "01");
        assertThat(Json.write(result)).isEqualTo("{\"2\":3,\"10\":2,\"b\":1,\"01\":4}");
    }
}
