package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.event.Json;
import org.junit.jupiter.api.Test;

class PluginErrorsTest {

    /** 2021-10-28T10:00:00Z: milliseconds are printed even when zero, as toISOString does. */
    private static final long TIME = 1_635_415_200_000L;

    @Test
    void stringErrorIsMessageAndTime() {
        assertThat(
                        Json.write(
                                PluginErrors.errorJson(
                                        "Could not read archive as .zip or .tgz", TIME)))
                .isEqualTo(
                        "{\"message\":\"Could not read archive as .zip or .tgz\","
                                + "\"time\":\"2021-10-28T10:00:00.000Z\"}");
    }

    @Test
    void errorObjectHasNameStackAndEvent() throws Exception {
        String json =
                Json.write(
                        PluginErrors.errorJson(
                                "TypeError",
                                "x is not a function",
                                "TypeError: x is not a function\n    at processEvent",
                                Json.parse("{\"event\":\"$pageview\"}"),
                                TIME + 7));

        assertThat(json)
                .isEqualTo(
                        "{\"message\":\"x is not a function\",\"time\":\"2021-10-28T10:00:00.007Z\","
                                + "\"name\":\"TypeError\","
                                + "\"stack\":\"TypeError: x is not a function\\n    at processEvent\","
                                + "\"event\":{\"event\":\"$pageview\"}}");
    }

    @Test
    void undefinedPartsAreLeftOutAsJsonStringifyDid() {
        assertThat(Json.write(PluginErrors.errorJson("Error", "boom", null, null, TIME)))
                .isEqualTo(
                        "{\"message\":\"boom\",\"time\":\"2021-10-28T10:00:00.000Z\",\"name\":\"Error\"}");
    }
}
