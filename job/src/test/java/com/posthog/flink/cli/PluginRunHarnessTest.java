package com.posthog.flink.cli;

import static com.posthog.flink.cli.PluginRunTest.fixture;
import static com.posthog.flink.cli.PluginRunTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.cli.PluginRunTest.Result;
import com.posthog.flink.event.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness flags of {@code scripts/plugin-run} (CONTRACTS.md), in process, over the project's
 * fixture plugins; every request is answered by {@code --fetch-mock} (the URLs are on {@code
 * .invalid} hosts, which cannot resolve, so a request that reached the network would fail).
 */
class PluginRunHarnessTest {

    private static final String NOW = "2024-01-01T00:00:00Z";
    private static final String HOOK = "https://hooks.invalid/hook";

    @TempDir Path dir;

    private Path routes;
    private Path fetchLog;
    private Path state;

    @BeforeEach
    void files() throws Exception {
        routes = dir.resolve("routes.json");
        Files.writeString(
                routes,
                """
                [
                  {"method": "POST", "url_contains": "/hook", "json": {"received": 2}},
                  {"url_contains": "/heartbeat", "text": "alive"}
                ]
                """);
        fetchLog = dir.resolve("fetch.jsonl");
        state = dir.resolve("state.json");
    }

    private String[] webhook(String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--plugin",
                                fixture("webhook"),
                                "--config",
                                "url=" + HOOK,
                                "--config",
                                "token=secret",
                                "--fetch-mock",
                                routes.toString(),
                                "--fetch-log",
                                fetchLog.toString(),
                                "--dump-state",
                                state.toString(),
                                "--now",
                                NOW));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> jsonLines(List<String> lines) throws Exception {
        List<JsonNode> json = new ArrayList<>();
        for (String line : lines) {
            json.add(Json.parse(line));
        }
        return json;
    }

    private List<JsonNode> fetchLogLines() throws Exception {
        return jsonLines(Files.readAllLines(fetchLog));
    }

    @Test
    void aWebhookExporterRunsOfflineAndItsRequestsAndStateAreReadBackFromTheFiles()
            throws Exception {
        Path prefix = dir.resolve("prefix.txt");
        Files.writeString(prefix, "app.\n");

        Result result =
                run(
                        "[{\"event\":\"a\"},{\"event\":\"b\"}]\n\n[{\"event\":\"c\"}]\n",
                        webhook(
                                "--attachment",
                                "prefix=" + prefix + ":text/plain",
                                "--invoke",
                                "exportEvents"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsExactly("true", "true");
        assertThat(fetchLogLines())
                .containsExactly(
                        Json.parse(
                                """
                                {"phase": "batch 0", "method": "POST", "url": "https://hooks.invalid/hook",
                                 "headers": {"content-type": "application/json", "x-webhook-token": "secret"},
                                 "body": {"json": {"events": ["app.a", "app.b"], "sentAt": "2024-01-01T00:00:00.000Z"}}}
                                """),
                        Json.parse(
                                """
                                {"phase": "batch 1", "method": "POST", "url": "https://hooks.invalid/hook",
                                 "headers": {"content-type": "application/json", "x-webhook-token": "secret"},
                                 "body": {"json": {"events": ["app.c"], "sentAt": "2024-01-01T00:00:00.000Z"}}}
                                """),
                        Json.parse(
                                """
                                {"phase": "teardown", "method": "POST", "url": "https://hooks.invalid/hook/bye",
                                 "headers": {}, "body": {"text": "batches=2"}}
                                """));
        assertThat(Json.parse(Files.readString(state)))
                .isEqualTo(
                        Json.parse(
                                """
                                {"Webhook (project fixture) (1)": {
                                  "storage": {"delivered": 4},
                                  "cache": {"statuses": ["200", "200"]},
                                  "global": {"prefix": "app.", "prefixType": "text/plain", "batches": 2}}}
                                """));
    }

    @Test
    void anAttachmentSuffixWithoutASlashIsPartOfTheFileName() throws Exception {
        Path prefix = dir.resolve("prefix:v1");
        Files.writeString(prefix, "v1.");

        Result result =
                run(
                        "[{\"event\":\"a\"}]\n",
                        webhook("--attachment", "prefix=" + prefix, "--invoke", "exportEvents"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Json.parse(Files.readString(state)).findValue("global"))
                .isEqualTo(
                        Json.parse(
                                """
                                {"prefix": "v1.", "prefixType": "application/octet-stream", "batches": 1}
                                """));
    }

    @Test
    void runEveryMinuteTicksOnTheSimulatedClockWithoutReadingInput() throws Exception {
        Result result =
                run(
                        "this is not read\n",
                        webhook(
                                "--invoke",
                                "runEveryMinute",
                                "--ticks",
                                "3",
                                "--format",
                                "report"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode line =
                Json.parse(
                        """
                        {"event": null, "result": null, "error": null, "logs": [],
                         "captured": [{"event": "webhook heartbeat", "properties": {"status": 200, "body": "alive"}}]}
                        """);
        assertThat(jsonLines(result.out())).containsExactly(line, line, line);
        assertThat(fetchLogLines())
                .extracting(request -> request.get("phase").asText() + " " + request.get("url"))
                .containsExactly(
                        "tick 0 \"https://hooks.invalid/hook/heartbeat?at=1704067200000\"",
                        "tick 1 \"https://hooks.invalid/hook/heartbeat?at=1704067260000\"",
                        "tick 2 \"https://hooks.invalid/hook/heartbeat?at=1704067320000\"",
                        "teardown \"https://hooks.invalid/hook/bye\"");
        // A GET with no headers of the plugin's own and no body.
        assertThat(fetchLogLines().get(0).get("headers").size()).isZero();
        assertThat(fetchLogLines().get(0).get("body").isNull()).isTrue();
        JsonNode dumped = Json.parse(Files.readString(state)).get("Webhook (project fixture) (1)");
        assertThat(dumped.get("storage").toString())
                .isEqualTo("{\"lastHeartbeat\":\"2024-01-01T00:02:00.000Z\"}");
        assertThat(dumped.get("cache").toString()).isEqualTo("{\"heartbeats\":3}");
    }

    @Test
    void jobsDueOnTheSimulatedClockRunAtTheEndBeforeTeardown() throws Exception {
        Files.writeString(routes, "[{\"url_contains\": \"/heartbeat\", \"status\": 503}]");

        Result result = run("", webhook("--invoke", "runEveryMinute", "--ticks", "2"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        // Each failed heartbeat enqueues a job 30 s later: tick 0's is due by tick 1's time (the
        // clock at the end), tick 1's is not.
        assertThat(fetchLogLines())
                .extracting(request -> request.get("phase").asText() + " " + request.get("url"))
                .containsExactly(
                        "tick 0 \"https://hooks.invalid/hook/heartbeat?at=1704067200000\"",
                        "tick 1 \"https://hooks.invalid/hook/heartbeat?at=1704067260000\"",
                        "job 0 \"https://hooks.invalid/hook/heartbeat?missed=1704067200000&at=1704067260000\"",
                        "teardown \"https://hooks.invalid/hook/bye\"");
        assertThat(result.err())
                .contains("WARN: heartbeat again: 503")
                .contains("1 job(s) or retries due after 2024-01-01T00:01:00Z were not run.");
    }

    @Test
    void theFirstMatchingRouteAnswersAndNoMatchIsA404() throws Exception {
        Files.writeString(
                routes,
                """
                [
                  {"method": "GET", "url_contains": "/hook", "status": 500},
                  {"url_contains": "/hook?retry", "status": 503},
                  {"url_contains": "/hook?ok", "json": {"received": 1}},
                  {"url_contains": "/hook", "json": {"received": 9}}
                ]
                """);
        String batch = "[{\"event\":\"a\"}]\n";

        Result retry =
                run(
                        batch,
                        webhook("--config", "url=" + HOOK + "?retry", "--invoke", "exportEvents"));
        Result ok =
                run(batch, webhook("--config", "url=" + HOOK + "?ok", "--invoke", "exportEvents"));
        String okState = Files.readString(state);
        Result noRoute =
                run(
                        batch,
                        webhook(
                                "--config",
                                "url=https://elsewhere.invalid/",
                                "--invoke",
                                "exportEvents",
                                "--format",
                                "report"));

        assertThat(retry.out()).containsExactly("\"webhook answered 503\"");
        // The retry is due 6 s later, past the clock of the run: it is left, and said so.
        assertThat(retry.err())
                .contains("1 job(s) or retries due after 2024-01-01T00:00:00Z were not run.");
        assertThat(ok.out()).containsExactly("true");
        assertThat(Json.parse(okState).toString()).contains("\"delivered\":1");
        assertThat(Json.parse(noRoute.out().get(0)).get("error"))
                .isEqualTo(Json.parse("{\"name\":\"Error\",\"message\":\"webhook answered 404\"}"));
    }

    @Test
    void aReportLineHoldsTheEventLogsCapturedEventsAndEveryErrorOfTheChain() throws Exception {
        Result result =
                run(
                        "{\"event\":\"capture me\",\"uuid\":\"u1\",\"team_id\":2,\"properties\":{}}\n",
                        "--plugin",
                        fixture("logger"),
                        "--plugin",
                        fixture("thrower"),
                        "--plugin",
                        fixture("thrower"),
                        "--format",
                        "report");

        assertThat(result.exitCode()).isZero();
        JsonNode line = Json.parse(result.out().get(0));
        assertThat(line.get("event").get("properties").get("$plugins_failed").toString())
                .isEqualTo("[\"Thrower (project fixture) (2)\",\"Thrower (project fixture) (3)\"]");
        assertThat(line.get("result").isNull()).isTrue();
        assertThat(line.get("error"))
                .isEqualTo(
                        Json.parse("{\"name\":\"Error\",\"message\":\"error thrown in plugin\"}"));
        assertThat(line.get("errors"))
                .isEqualTo(
                        Json.parse(
                                """
                                [{"plugin": "Thrower (project fixture) (2)", "name": "Error", "message": "error thrown in plugin"},
                                 {"plugin": "Thrower (project fixture) (3)", "name": "Error", "message": "error thrown in plugin"}]
                                """));
        assertThat(line.get("logs").toString()).isEqualTo("[[\"log\",\"logged capture me\"]]");
        assertThat(line.get("captured"))
                .isEqualTo(
                        Json.parse(
                                """
                                [{"event": "captured by plugin",
                                  "properties": {"distinct_id": "plugin-user", "source_uuid": "u1"}}]
                                """));
    }

    @Test
    void aFailingSetupIsTheSingleSetupErrorLineAndExitTwo() {
        Result broken = run("{}\n", "--plugin", fixture("broken-setup"), "--format", "report");
        Result noUrl =
                run(
                        "[]\n",
                        "--plugin",
                        fixture("webhook"),
                        "--format",
                        "report",
                        "--invoke",
                        "exportEvents");

        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.out())
                .containsExactly(
                        "{\"setup_error\":{\"name\":\"Error\",\"message\":\"no config given\"}}");
        assertThat(noUrl.exitCode()).isEqualTo(2);
        assertThat(noUrl.out())
                .containsExactly(
                        "{\"setup_error\":{\"name\":\"Error\",\"message\":\"webhook url missing\"}}");
    }

    @Test
    void processEventBatchGetsEveryLineAsOneBatch() throws Exception {
        Result result =
                run(
                        "{\"event\":\"a\"}\n{\"event\":\"internal\"}\n{\"event\":\"b\",\"properties\":{\"x\":1}}\n",
                        "--plugin",
                        fixture("batch-filter"),
                        "--invoke",
                        "processEventBatch");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(jsonLines(result.out()))
                .containsExactly(
                        Json.parse(
                                """
                                [{"event": "a", "properties": {"index": 0}},
                                 {"event": "b", "properties": {"x": 1, "index": 1}}]
                                """));
    }

    @Test
    void onEventAndOnSnapshotRunAfterTheProcessEventChain() throws Exception {
        Result result =
                run(
                        """
                        {"event":"a","team_id":2}
                        {"event":"$snapshot","team_id":2,"properties":{"$session_id":"s1"}}
                        {"event":"fail on event","team_id":2}
                        """,
                        "--plugin",
                        fixture("add-property"),
                        "--config",
                        "value=x",
                        "--plugin",
                        fixture("on-event"),
                        "--invoke",
                        "onEvent",
                        "--format",
                        "report");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> lines = jsonLines(result.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("event").get("properties").get("added").asText())
                .isEqualTo("x");
        assertThat(lines.get(0).get("logs").toString()).isEqualTo("[[\"log\",\"onEvent a x\"]]");
        assertThat(lines.get(1).get("logs").toString()).isEqualTo("[[\"log\",\"onSnapshot s1\"]]");
        assertThat(lines.get(2).get("error"))
                .isEqualTo(
                        Json.parse(
                                "{\"name\":\"Error\",\"message\":\"onEvent failed on purpose\"}"));
    }

    @Test
    void eachPayloadRunsTheNamedJobAndJobsTheEventsEnqueuedRunAtTheEnd() throws Exception {
        Result payloads =
                run(
                        "{\"n\":5}\n{\"n\":7}\n",
                        "--plugin",
                        fixture("jobs"),
                        "--invoke",
                        "job:hello",
                        "--format",
                        "report");
        Result enqueued =
                run(
                        "{\"event\":\"enqueue\",\"team_id\":2}\n",
                        "--plugin",
                        fixture("jobs"),
                        "--now",
                        NOW);

        assertThat(payloads.exitCode()).as(payloads.err()).isZero();
        assertThat(jsonLines(payloads.out()))
                .extracting(line -> line.get("logs").toString())
                .containsExactly("[[\"log\",\"hello 5\"]]", "[[\"log\",\"hello 7\"]]");
        assertThat(enqueued.exitCode()).isZero();
        assertThat(enqueued.out()).hasSize(1);
        // runNow ran at the end; runIn(10, 'seconds') is not due on the fixed clock.
        assertThat(enqueued.err()).contains("LOG: hello 1");
        assertThat(enqueued.err())
                .contains("1 job(s) or retries due after 2024-01-01T00:00:00Z were not run.");
    }

    @Test
    void usageMistakesExitOneAndALineOfTheWrongTypeExitsThree() throws Exception {
        Path badRoutes = dir.resolve("bad-routes.json");
        Files.writeString(badRoutes, "[{\"status\": 200}]");

        assertThat(run("", webhook("--ticks", "2")).exitCode()).isOne();
        assertThat(run("", webhook("--invoke", "everySecond")).exitCode()).isOne();
        assertThat(run("", webhook("--now", "yesterday")).exitCode()).isOne();
        Result badRoute =
                run("", "--plugin", fixture("dropper"), "--fetch-mock", badRoutes.toString());
        assertThat(badRoute.exitCode()).isOne();
        assertThat(badRoute.err()).contains("route 1 needs url_contains");
        Result noHook = run("", "--plugin", fixture("dropper"), "--invoke", "runEveryHour");
        assertThat(noHook.exitCode()).isOne();
        assertThat(noHook.err()).contains("no plugin exports runEveryHour");

        Result notABatch = run("[]\n{\"event\":\"a\"}\n", webhook("--invoke", "exportEvents"));
        assertThat(notABatch.exitCode()).isEqualTo(3);
        assertThat(notABatch.err()).contains("line 2 is not a JSON array");
    }
}
