package com.posthog.flink.cli.pluginrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.runtime.PluginServices.FetchRequest;
import com.posthog.flink.plugin.runtime.PluginServices.FetchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --fetch-mock}: which route answers a request, and with what. */
class FetchRoutesTest {

    private static FetchRoutes routes(String json) throws Exception {
        return FetchRoutes.parse(Json.parse(json));
    }

    private static FetchRequest request(String method, String url) {
        return new FetchRequest(
                method, url, List.of(), 0, null, "follow", 20, true, Duration.ofSeconds(1), 1000);
    }

    private static String header(FetchResponse response, String name) {
        return response.headers().stream()
                .filter(h -> h[0].equals(name))
                .map(h -> h[1])
                .findFirst()
                .orElse(null);
    }

    @Test
    void theFirstRouteWhoseMethodAndUrlMatchAnswers() throws Exception {
        FetchRoutes routes =
                routes(
                        """
                        [{"method": "post", "url_contains": "/a", "status": 201, "text": "posted"},
                         {"url_contains": "/a", "json": {"ok": true}, "headers": {"X-Id": 7}},
                         {"url_contains": "/a", "text": "never"}]
                        """);

        FetchResponse post = routes.answer(request("POST", "https://x.invalid/a?b"));
        FetchResponse get = routes.answer(request("GET", "http://y.invalid/a"));

        assertThat(post.status()).isEqualTo(201);
        assertThat(post.statusText()).isEqualTo("Created");
        assertThat(new String(post.body(), StandardCharsets.UTF_8)).isEqualTo("posted");
        assertThat(header(post, "content-type")).isEqualTo("text/plain;charset=UTF-8");
        assertThat(get.status()).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(header(get, "content-type")).isEqualTo("application/json");
        assertThat(header(get, "x-id")).isEqualTo("7");
    }

    @Test
    void noMatchingRouteIsA404WithNoRoute() throws Exception {
        FetchResponse response =
                routes("[{\"url_contains\": \"/a\"}]")
                        .answer(request("GET", "https://x.invalid/b"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"no route\"}");
    }

    @Test
    void aMalformedRouteIsOneSentenceNamingIt() {
        assertThatThrownBy(() -> routes("{}")).hasMessage("the routes must be a JSON array.");
        assertThatThrownBy(() -> routes("[{\"url_contains\": \"/a\"}, {\"url\": \"/b\"}]"))
                .hasMessage("route 2 has an unknown field 'url'.");
        assertThatThrownBy(() -> routes("[{\"url_contains\": \"/a\", \"status\": 99}]"))
                .hasMessage("route 1: status must be a number from 100 to 599.");
        assertThatThrownBy(
                        () -> routes("[{\"url_contains\": \"/a\", \"json\": 1, \"text\": \"1\"}]"))
                .hasMessage("route 1 has both json and text: give one.");
    }
}
