package com.posthog.flink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/plugin-server --input-file}: the same pipeline over a file, then a summary. */
class InputFileITCase {

    private static TestServices services;

    @BeforeAll
    static void freshDatabases() throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
    }

    private static InputFileRun run(String... args) {
        return InputFileRun.run(services, Map.of(), args);
    }

    @Test
    void aFileIsIngestedAndSummarised(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(Messages.stream(300, "input-file"));
        lines.add(40, "");
        lines.add(80, "   ");
        Path file = dir.resolve("events.jsonl");
        Files.write(file, lines);

        InputFileRun run = run("--input-file", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.lastLine())
                .isEqualTo("input-file: lines=300 ingested=297 dropped=0 dead_letters=3");
        assertThat(
                        services.clickHouseCount(
                                "SELECT count() FROM events FINAL WHERE distinct_id LIKE 'user-%'"))
                .isEqualTo(297);
    }

    @Test
    void aMissingFileExitsWithTwo() {
        assertThat(run("--input-file", "/nonexistent/events.jsonl").exitCode()).isEqualTo(2);
    }

    @Test
    void anUnreachableServiceIsOneSentenceAndExitOne() {
        List<String> args = new ArrayList<>(List.of("--input-file", "/etc/hostname"));
        args.add("-Dplugin-server.database-url=postgres://nobody@127.0.0.1:1/none");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = PluginServer.run(args.toArray(String[]::new), Map.of());
        } finally {
            System.setErr(originalErr);
        }
        assertThat(code).isOne();
        String message = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(message)
                .startsWith("Cannot reach Postgres at postgres://nobody@127.0.0.1:1/none")
                .doesNotContain("\n\tat ");
    }
}
