package com.posthog.flink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness flags through the real {@code scripts/plugin-run}, as a plugin author runs it: the
 * webhook fixture exports batches and ticks fully offline, and its report, requests and state are
 * read back from standard output and the files.
 */
class PluginRunScriptITCase {

    @TempDir Path dir;

    private record Run(int exitCode, List<String> out, String err) {}

    private Run pluginRun(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("scripts/plugin-run"));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process =
                new ProcessBuilder(command)
                        .directory(TestServices.repoRoot().toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("plugin-run finished").isTrue();
        return new Run(process.exitValue(), Files.readAllLines(out), Files.readString(err));
    }

    @Test
    void theWebhookPluginExportsAndTicksOfflineThroughTheScript() throws Exception {
        Path routes = dir.resolve("routes.json");
        Files.writeString(
                routes,
                "[{\"method\": \"POST\", \"url_contains\": \"/hook\", \"json\": {\"received\": 2}},"
                        + " {\"url_contains\": \"/heartbeat\", \"text\": \"alive\"}]");
        Path prefix = dir.resolve("prefix.txt");
        Files.writeString(prefix, "app.\n");
        Path fetchLog = dir.resolve("fetch.jsonl");
        Path state = dir.resolve("state.json");
        String[] common = {
            "--plugin",
            TestServices.repoRoot().resolve("udf-plugins/fixtures/webhook").toString(),
            "--config",
            "url=https://hooks.invalid/hook",
            "--attachment",
            "prefix=" + prefix + ":text/plain",
            "--fetch-mock",
            routes.toString(),
            "--fetch-log",
            fetchLog.toString(),
            "--dump-state",
            state.toString(),
            "--now",
            "2024-01-01T00:00:00Z",
            "--format",
            "report"
        };

        List<String> export = new ArrayList<>(List.of(common));
        export.addAll(List.of("--invoke", "exportEvents"));
        Run exported =
                pluginRun("[{\"event\":\"a\"},{\"event\":\"b\"}]\n", export.toArray(String[]::new));

        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(exported.out()).hasSize(1);
        JsonNode report = Json.parse(exported.out().get(0));
        assertThat(report.get("result").isNull()).as("exportEvents returns nothing").isTrue();
        assertThat(report.get("error").isNull()).isTrue();
        assertThat(report.get("logs").toString()).isEqualTo("[[\"info\",\"delivered 2 of 2\"]]");
        List<String> requests = Files.readAllLines(fetchLog);
        assertThat(Json.parse(requests.get(0)))
                .isEqualTo(
                        Json.parse(
                                "{\"phase\": \"batch 0\", \"method\": \"POST\", \"url\": \"https://hooks.invalid/hook\","
                                        + " \"headers\": {\"content-type\": \"application/json\"},"
                                        + " \"body\": {\"json\": {\"events\": [\"app.a\", \"app.b\"],"
                                        + " \"sentAt\": \"2024-01-01T00:00:00.000Z\"}}}"));
        assertThat(Json.parse(requests.get(1)).get("phase").asText()).isEqualTo("teardown");
        assertThat(Json.parse(Files.readString(state)).get("Webhook (project fixture) (1)"))
                .isEqualTo(
                        Json.parse(
                                "{\"storage\": {\"delivered\": 2}, \"cache\": {\"statuses\": [\"200\"]},"
                                        + " \"global\": {\"prefix\": \"app.\", \"prefixType\": \"text/plain\", \"batches\": 1}}"));

        List<String> ticks = new ArrayList<>(List.of(common));
        ticks.addAll(List.of("--invoke", "runEveryMinute", "--ticks", "2"));
        Run ticked = pluginRun("", ticks.toArray(String[]::new));

        assertThat(ticked.exitCode()).as(ticked.err()).isZero();
        assertThat(ticked.out()).hasSize(2);
        assertThat(Json.parse(ticked.out().get(1)).get("captured").toString())
                .isEqualTo(
                        "[{\"event\":\"webhook heartbeat\",\"properties\":{\"status\":200,\"body\":\"alive\"}}]");
        assertThat(Files.readAllLines(fetchLog))
                .extracting(line -> Json.parse(line).get("url").asText())
                .containsExactly(
                        "https://hooks.invalid/hook/heartbeat?at=1704067200000",
                        "https://hooks.invalid/hook/heartbeat?at=1704067260000",
                        "https://hooks.invalid/hook/bye");
        assertThat(Json.parse(Files.readString(state)).at("/Webhook (project fixture) (1)/cache"))
                .isEqualTo(Json.parse("{\"heartbeats\": 2}"));
    }
}
