package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.runtime.PluginServices.FetchRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --fetch-log FILE}: one JSON line per request a plugin made, {@code {phase, method, url,
 * headers, body}} (CONTRACTS.md). {@code headers} holds only those the plugin set, names in lower
 * case (repeated ones joined by {@code ", "}, as {@code Headers.get} gives them); {@code body} is
 * {@code {"json": …}} when it parses as JSON, else {@code {"text": …}}, or null.
 */
final class FetchLog implements AutoCloseable {

    private final BufferedWriter writer;

    FetchLog(Path file) throws IOException {
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** Writes and flushes one request, so the file is complete even if the run stops. */
    synchronized void write(String phase, FetchRequest request) {
        try {
            writer.write(Json.write(line(phase, request)));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the --fetch-log file", e);
        }
    }

    static ObjectNode line(String phase, FetchRequest request) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("phase", phase);
        line.put("method", request.method());
        line.put("url", request.url());
        ObjectNode headers = line.putObject("headers");
        for (String[] header : request.headers().subList(0, request.givenHeaders())) {
            String name = header[0].toLowerCase(Locale.ROOT);
            JsonNode before = headers.get(name);
            headers.put(name, before == null ? header[1] : before.asText() + ", " + header[1]);
        }
        line.set("body", body(request.body()));
        return line;
    }

    private static JsonNode body(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode json = JsonText.parse(text);
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (json != null) {
            return body.set("json", json);
        }
        return body.put("text", text);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
