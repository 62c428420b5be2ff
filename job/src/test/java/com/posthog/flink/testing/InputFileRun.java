package com.posthog.flink.testing;

import com.posthog.flink.cli.PluginServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code scripts/plugin-server --input-file} in process against the tests' databases and
 * returns its exit code and standard output.
 */
public record InputFileRun(int exitCode, String out) {

    /** The last line of standard output (the summary of an input-file run). */
    public String lastLine() {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    public static InputFileRun run(
            TestServices services, Map<String, String> extraSettings, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        services.dynamicProperties().forEach((key, value) -> all.add("-D" + key + "=" + value));
        all.add("-Dplugin-server.kafka-dead-letter-topic=it_input_file_dead_letters");
        extraSettings.forEach((key, value) -> all.add("-D" + key + "=" + value));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = PluginServer.run(all.toArray(String[]::new), services.environment());
            return new InputFileRun(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    /** Writes the messages to a file in {@code dir} and runs the pipeline over it. */
    public static InputFileRun runMessages(
            TestServices services,
            Path dir,
            List<String> messages,
            Map<String, String> extraSettings)
            throws Exception {
        Path file = Files.createTempFile(dir, "events", ".jsonl");
        Files.write(file, messages);
        return run(services, extraSettings, "--input-file", file.toString());
    }
}
