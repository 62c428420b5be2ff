package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code posthog.api} (spec §2.4, scenario 64): URLs with the team's token, the bot user's key as
 * the Bearer, {@code data} in the query for GET only and as the JSON body of POST and PUT, explicit
 * keys, and the error when only one key is given. Requests are answered by the services, so the
 * test sees exactly what would go out.
 */
class PluginVmApiTest {

    private final TestingPluginServices services = new TestingPluginServices();

    @BeforeEach
    void answerEveryRequest() {
        services.apiCredentials =
                "{\"token\":\"THIS IS NOT A TOKEN FOR TEAM 2\",\"personalApiKey\":\"phx_bot\"}";
        services.fetchHandler =
                request ->
                        new PluginServices.FetchResponse(
                                200,
                                "OK",
                                request.url(),
                                false,
                                List.of(),
                                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private String run(String body) throws Exception {
        try (PluginVm vm =
                load(js("async function processEvent(event) {\n" + body + "\n}"), services)) {
            return vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        }
    }

    private String header(int request, String name) {
        return services.fetchRequests.get(request).headers().stream()
                .filter(h -> h[0].equalsIgnoreCase(name))
                .map(h -> h[1])
                .findFirst()
                .orElse(null);
    }

    private String body(int request) {
        byte[] body = services.fetchRequests.get(request).body();
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void requestsCarryTheTeamTokenAndTheBotKey() throws Exception {
        run(
                """
                await posthog.api.get('/api/event')
                await posthog.api.get('api/event', { data: { url: 'param' } })
                await posthog.api.post('/api/event', { data: { a: 1 } })
                await posthog.api.put('/api/event', { data: { b: 2 } })
                await posthog.api.delete('/api/event', { data: { c: 3 } })
                await posthog.api.get('/api/projects/', { host: 'http://localhost:8000///' })
                """);

        assertThat(services.fetchRequests)
                .extracting(r -> r.method() + " " + r.url())
                .containsExactly(
                        "GET https://app.posthog.com/api/event?token=THIS+IS+NOT+A+TOKEN+FOR+TEAM+2",
                        "GET https://app.posthog.com/api/event?url=param&token=THIS+IS+NOT+A+TOKEN+FOR+TEAM+2",
                        "POST https://app.posthog.com/api/event?token=THIS+IS+NOT+A+TOKEN+FOR+TEAM+2",
                        "PUT https://app.posthog.com/api/event?token=THIS+IS+NOT+A+TOKEN+FOR+TEAM+2",
                        "DELETE https://app.posthog.com/api/event?token=THIS+IS+NOT+A+TOKEN+FOR+TEAM+2",
                        "GET http://localhost:8000/api/projects/?token=THIS+IS+NOT+A+TOKEN+FOR+TEAM+2");
        for (int i = 0; i < 6; i++) {
            assertThat(header(i, "Authorization")).isEqualTo("Bearer phx_bot");
        }
        assertThat(body(0)).isNull();
        assertThat(body(2)).isEqualTo("{\"a\":1}");
        assertThat(body(3)).isEqualTo("{\"b\":2}");
        assertThat(body(4)).isNull();
    }

    @Test
    void explicitKeysReplaceTheDefaultsAndMustComeTogether() throws Exception {
        services.apiCredentials = null; // no database: only explicit keys work
        String result =
                run(
                        """
                        const response = await posthog.api.get('/api/event', { projectApiKey: 'token', personalApiKey: 'secret' })
                        const failure = (e) => e.message
                        return [
                            response.status,
                            await posthog.api.get('/api/event', { projectApiKey: 'token' }).catch(failure),
                            await posthog.api.get('/api/event').catch(failure),
                        ]
                        """);

        assertThat(services.fetchRequests)
                .extracting(r -> r.method() + " " + r.url())
                .containsExactly("GET https://app.posthog.com/api/event?token=token");
        assertThat(header(0, "Authorization")).isEqualTo("Bearer secret");
        assertThat(result)
                .isEqualTo(
                        "[200,\"You must provide both projectApiKey and personalApiKey, or neither.\",\""
                                + PluginServices.API_KEYS_UNAVAILABLE
                                + "\"]");
    }
}
