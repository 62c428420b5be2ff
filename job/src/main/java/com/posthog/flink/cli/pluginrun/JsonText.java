package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.posthog.flink.event.Json;
import java.io.IOException;

/** Text that may be JSON: request bodies for the fetch log, cache values for the state dump. */
final class JsonText {

    /** As {@code JSON.parse}: trailing text makes it not JSON. */
    private static final ObjectReader STRICT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonText() {}

    /** The JSON value of the text, or null when it is not JSON. */
    static JsonNode parse(String text) {
        try {
            JsonNode json = STRICT.readTree(text);
            return json == null || json.isMissingNode() ? null : json;
        } catch (IOException notJson) {
            return null;
        }
    }
}
