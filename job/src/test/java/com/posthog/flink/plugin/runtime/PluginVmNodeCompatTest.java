package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * {@code Buffer}, {@code TextEncoder}/{@code TextDecoder}, {@code atob}/{@code btoa}, {@code
 * crypto}, {@code URL}/{@code URLSearchParams}, {@code Intl} and {@code Date} give what Node gives:
 * every expression of {@code plugin-runtime/node-cases.json}, with the result Node recorded for it
 * (values, and errors by name and message), evaluated in a plugin. The JVM's default time zone and
 * locale are set to others meanwhile: plugins see UTC and {@code en-US} whatever the machine's.
 * Re-record with {@code node bench/node/record-node-cases.js}.
 *
 * <p>Left out of the file on purpose, tested in {@link PluginVmBufferTest} and {@link
 * PluginVmCryptoTest}: size limits (Node's are larger), {@code TextDecoder('latin1')} (Node 20
 * decodes plain Latin-1, the standard and this runtime windows-1252), and Node 20's newer wording
 * for an HMAC key of the wrong type.
 */
class PluginVmNodeCompatTest {

    @Test
    void everyRecordedExpressionGivesWhatNodeGave() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/plugin-runtime/node-cases.json")) {
            cases = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("cases");
        }
        List<String> expressions = new ArrayList<>();
        cases.forEach(c -> expressions.add(c.get("expression").asText()));
        TestingPluginServices services = new TestingPluginServices();
        services.configJson = Json.MAPPER.writeValueAsString(expressions);
        TimeZone machineZone = TimeZone.getDefault();
        Locale machineLocale = Locale.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        Locale.setDefault(Locale.GERMANY);
        String results;
        try (PluginVm vm =
                load(
                        js(
                                """
                                exports.processEvent = (event, { config }) => config.map((expression) => {
                                    try {
                                        const value = (0, eval)(expression)
                                        return 'ok ' + JSON.stringify(value, (k, v) => typeof v === 'bigint' ? String(v) : v)
                                    } catch (e) {
                                        return 'throws ' + e.name + ': ' + e.message
                                    }
                                })
                                """),
                        services)) {
            results = vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        } finally {
            TimeZone.setDefault(machineZone);
            Locale.setDefault(machineLocale);
        }
        JsonNode actual = Json.parse(results);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String expected = cases.get(i).get("node").asText();
            if (!expected.equals(actual.get(i).asText())) {
                mismatches.add(
                        expressions.get(i)
                                + "\n    node:    "
                                + expected
                                + "\n    plugins: "
                                + actual.get(i).asText());
            }
        }
        assertThat(cases.size()).isGreaterThan(150);
        assertThat(mismatches).isEmpty();
    }
}
