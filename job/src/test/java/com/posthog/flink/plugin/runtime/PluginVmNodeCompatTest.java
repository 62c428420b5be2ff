package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.loading.PluginSources;
import com.posthog.flink.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>The project's fixture plugins recorded there ({@code udf-plugins/fixtures/node-compat} and
 * {@code esm-subfolder}) give Node's result for every sample event: module shapes (an ES module in
 * a {@code .js} file under {@code plugin.json}'s {@code main} in a subfolder, exports assigned to
 * {@code module.exports}), unawaited {@code storage.set}/{@code cache.set} seen by the next event,
 * attachment contents as a Buffer, JSON on the way out, and a thrown string as the message.
 *
 * <p>Re-record with {@code node bench/node/record-node-cases.js}.
 *
 * <p>Left out of the file on purpose, tested in {@link PluginVmBufferTest} and {@link
 * PluginVmCryptoTest}: size limits (Node's are larger), {@code TextDecoder('latin1')} (Node 20
 * decodes plain Latin-1, the standard and this runtime windows-1252), and Node 20's newer wording
 * for an HMAC key of the wrong type. Left out where the runtime cannot or should not follow Node:
 * locale data that CLDR changed between GraalJS's ICU 72 and Node's ICU 78 ({@code de-CH} digit
 * grouping), URLs on which Node 20's parser departs from the WHATWG standard (see {@link
 * UrlScript}), and TypeScript, which Node 20 does not run ({@link PluginVmLoadTest} covers it).
 */
class PluginVmNodeCompatTest {

    private static JsonNode recording() throws IOException {
        try (InputStream in =
                PluginVmNodeCompatTest.class.getResourceAsStream(
                        "/plugin-runtime/node-cases.json")) {
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyRecordedExpressionGivesWhatNodeGave() throws Exception {
        JsonNode cases = recording().get("cases");
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

    @Test
    void everyFixturePluginGivesWhatNodeGaveForEachEvent() throws Exception {
        JsonNode plugins = recording().get("plugins");
        List<String> mismatches = new ArrayList<>();
        for (JsonNode recorded : plugins) {
            String fixture = recorded.get("fixture").asText();
            Path folder = TestServices.repoRoot().resolve("udf-plugins/fixtures/" + fixture);
            TestingPluginServices services = new TestingPluginServices();
            services.configJson = recorded.has("config") ? recorded.get("config").toString() : "{}";
            for (var attachment : recorded.path("attachments").properties()) {
                String file = attachment.getValue().get("file").asText();
                services.attachments.put(
                        attachment.getKey(),
                        new PluginServices.Attachment(
                                attachment.getValue().get("content_type").asText(),
                                file,
                                Files.readAllBytes(folder.resolve(file))));
            }
            PluginCode code =
                    PluginSources.codeOf(
                            new PluginRow(
                                    1,
                                    "org",
                                    "local",
                                    false,
                                    fixture,
                                    "file:" + folder,
                                    null,
                                    null,
                                    null,
                                    "{}"),
                            "/");
            try (PluginVm vm = load(code, services)) {
                if (vm.methods().contains("setupPlugin")) vm.call("setupPlugin", TIMEOUT);
                for (int i = 0; i < recorded.get("events").size(); i++) {
                    JsonNode event = recorded.get("events").get(i);
                    String actual = outcome(vm, event.toString()).toString();
                    String expected = recorded.get("node").get(i).toString();
                    if (!expected.equals(actual)) {
                        mismatches.add(
                                fixture
                                        + " "
                                        + event
                                        + "\n    node:    "
                                        + expected
                                        + "\n    plugins: "
                                        + actual);
                    }
                }
            }
        }
        assertThat(plugins).hasSizeGreaterThanOrEqualTo(2);
        assertThat(mismatches).isEmpty();
    }

    /** A processEvent call as the recording has it: {@code {result}} or {@code {error}}. */
    private static ObjectNode outcome(PluginVm vm, String eventJson) {
        ObjectNode outcome = Json.MAPPER.createObjectNode();
        try {
            outcome.put("result", vm.call("processEvent", TIMEOUT, eventJson).resultJson());
        } catch (PluginCallException e) {
            outcome.putObject("error").put("name", e.errorName()).put("message", e.getMessage());
        }
        return outcome;
    }
}
