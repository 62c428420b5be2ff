package com.posthog.flink.cli;

import static com.posthog.flink.cli.PluginRunTest.fixture;
import static com.posthog.flink.cli.PluginRunTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.cli.PluginRunTest.Result;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * {@code plugin-run --database URL --redis URL}: {@code meta.storage} in that Postgres under plugin
 * config id k, {@code meta.cache} in that Redis, so state carries over from one run to the next and
 * {@code --dump-state} reads it back; a database without config k is one sentence.
 */
class PluginRunStateITCase {

    @TempDir Path dir;

    @Test
    void storageAndCacheLiveInPostgresAndRedisAcrossRuns() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        assertThat(services.installPlugin("webhook", "file:unused", 1, "{}")).isOne();
        String redisUrl = services.environment().get("REDIS_URL") + "/" + TestServices.REDIS_DB;
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(redisUrl))) {
            redis.keys("@plugin/1/2/*").forEach(redis::del);
        }
        Path routes = dir.resolve("routes.json");
        Files.writeString(routes, "[{\"url_contains\": \"/hook\", \"json\": {\"received\": 2}}]");
        Path state = dir.resolve("state.json");
        String[] args = {
            "--plugin", fixture("webhook"),
            "--config", "url=https://hooks.invalid/hook",
            "--fetch-mock", routes.toString(),
            "--dump-state", state.toString(),
            "--invoke", "exportEvents",
            "--database", services.postgres().toString(),
            "--redis", redisUrl
        };

        for (int runs = 1; runs <= 2; runs++) {
            Result result = run("[{\"event\":\"a\"},{\"event\":\"b\"}]\n", args);
            assertThat(result.exitCode()).as(result.err()).isZero();
        }

        assertThat(
                        services.postgresValue(
                                "SELECT value FROM posthog_pluginstorage WHERE plugin_config_id = 1 AND key = 'delivered'"))
                .isEqualTo("4");
        assertThat(Json.parse(Files.readString(state)).get("Webhook (project fixture) (1)"))
                .isEqualTo(
                        Json.parse(
                                """
                                {"storage": {"delivered": 4},
                                 "cache": {"statuses": ["200", "200"]},
                                 "global": {"prefix": "", "prefixType": null, "batches": 1}}
                                """));

        Result missing =
                run(
                        "",
                        "--plugin",
                        fixture("webhook"),
                        "--config",
                        "url=https://hooks.invalid/hook",
                        "--plugin",
                        fixture("webhook"),
                        "--config",
                        "url=https://hooks.invalid/hook",
                        "--database",
                        services.postgres().toString());
        assertThat(missing.exitCode()).isOne();
        assertThat(missing.err())
                .isEqualTo(
                        "plugin-run: --database keeps plugin k's storage under plugin config id k,"
                                + " and that database has no posthog_pluginconfig row [2]:"
                                + " use a database where those configs exist.\n");
    }
}
