package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.runtime.HostFetch;
import com.posthog.flink.plugin.runtime.PluginServices.FetchRequest;
import com.posthog.flink.plugin.runtime.PluginServices.FetchResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code --fetch-mock ROUTES.json}: canned answers to a plugin's requests, so that none reaches the
 * network. The file is a JSON array of routes {@code {method?, url_contains, status?, json? |
 * text?, headers?}}; the first route whose method (any when absent, case-insensitive) and URL
 * substring match answers; no match answers 404 {@code {"error":"no route"}}.
 */
public final class FetchRoutes {

    /** One route: what it matches and what it answers. */
    record Route(
            String method,
            String urlContains,
            int status,
            byte[] body,
            String contentType,
            List<String[]> headers) {

        boolean matches(FetchRequest request) {
            return (method == null || method.equalsIgnoreCase(request.method()))
                    && request.url().contains(urlContains);
        }
    }

    static final Route NO_ROUTE =
            new Route(
                    null,
                    "",
                    404,
                    "{\"error\":\"no route\"}".getBytes(StandardCharsets.UTF_8),
                    "application/json",
                    List.of());

    private final List<Route> routes;

    private FetchRoutes(List<Route> routes) {
        this.routes = routes;
    }

    /** Reads a routes file; a malformed one is one sentence saying what is wrong. */
    public static FetchRoutes read(Path file) {
        JsonNode json = Arguments.jsonFile("--fetch-mock", file);
        try {
            return parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fetch-mock " + file + ": " + e.getMessage());
        }
    }

    static FetchRoutes parse(JsonNode json) {
        if (json == null || !json.isArray()) {
            throw new IllegalArgumentException("the routes must be a JSON array.");
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            routes.add(route(json.get(i), "route " + (i + 1)));
        }
        return new FetchRoutes(routes);
    }

    private static Route route(JsonNode json, String name) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(name + " is not a JSON object.");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("method", "url_contains", "status", "json", "text", "headers")
                    .contains(field)) {
                throw new IllegalArgumentException(name + " has an unknown field '" + field + "'.");
            }
        }
        JsonNode url = json.get("url_contains");
        if (url == null || !url.isTextual()) {
            throw new IllegalArgumentException(name + " needs url_contains, a string.");
        }
        JsonNode method = json.get("method");
        if (method != null && !method.isTextual()) {
            throw new IllegalArgumentException(name + ": method must be a string.");
        }
        JsonNode status = json.get("status");
        if (status != null
                && !(status.isIntegralNumber() && status.asInt() >= 100 && status.asInt() <= 599)) {
            throw new IllegalArgumentException(name + ": status must be a number from 100 to 599.");
        }
        if (json.has("json") && json.has("text")) {
            throw new IllegalArgumentException(name + " has both json and text: give one.");
        }
        JsonNode text = json.get("text");
        if (text != null && !text.isTextual()) {
            throw new IllegalArgumentException(name + ": text must be a string.");
        }
        List<String[]> headers = new ArrayList<>();
        JsonNode headersJson = json.get("headers");
        if (headersJson != null) {
            if (!headersJson.isObject()) {
                throw new IllegalArgumentException(name + ": headers must be an object.");
            }
            for (Map.Entry<String, JsonNode> header : headersJson.properties()) {
                if (!header.getValue().isValueNode() || header.getValue().isNull()) {
                    throw new IllegalArgumentException(
                            name + ": header " + header.getKey() + " must be a string.");
                }
                headers.add(
                        new String[] {
                            header.getKey().toLowerCase(java.util.Locale.ROOT),
                            header.getValue().asText()
                        });
            }
        }
        byte[] body;
        String contentType;
        if (json.has("json")) {
            body = Json.write(json.get("json")).getBytes(StandardCharsets.UTF_8);
            contentType = "application/json";
        } else if (text != null) {
            body = text.textValue().getBytes(StandardCharsets.UTF_8);
            contentType = "text/plain;charset=UTF-8";
        } else {
            body = new byte[0];
            contentType = null;
        }
        return new Route(
                method == null ? null : method.textValue(),
                url.textValue(),
                status == null ? 200 : status.asInt(),
                body,
                contentType,
                List.copyOf(headers));
    }

    /** The answer of the first matching route, or {@link #NO_ROUTE}'s. */
    public FetchResponse answer(FetchRequest request) {
        Route route = routes.stream().filter(r -> r.matches(request)).findFirst().orElse(NO_ROUTE);
        List<String[]> headers = new ArrayList<>(route.headers());
        if (route.contentType() != null
                && headers.stream().noneMatch(h -> h[0].equals("content-type"))) {
            headers.add(new String[] {"content-type", route.contentType()});
        }
        return new FetchResponse(
                route.status(),
                HostFetch.statusText(route.status()),
                request.url(),
                false,
                headers,
                route.body());
    }
}
