package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.PluginServerJob;
import com.posthog.flink.sink.Sinks;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.net.URI;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * A running job picks up a changed plugin config when the app announces it on the Redis channel,
 * without a restart.
 */
class ReloadITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestServices.miniCluster();

    private static void sql(TestServices services, String statement) throws Exception {
        try (PostgresClient postgres = new PostgresClient(services.postgres())) {
            postgres.execute(
                    c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute(statement);
                        }
                        return null;
                    });
        }
    }

    private static long countAdded(TestServices services, String value) throws Exception {
        return services.clickHouseCount(
                "SELECT count() FROM events FINAL WHERE visitParamExtractString(properties, 'added') = '"
                        + value
                        + "'");
    }

    @Test
    void aConfigChangeAnnouncedOnRedisTakesEffectInTheRunningJob() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        services.installPlugin(
                "adder", "file:udf-plugins/fixtures/add-property", 1, "{\"value\":\"one\"}");
        String topic = services.newTopic("it_reload");
        String channel = "it-reload-" + UUID.randomUUID();
        Settings settings =
                services.settings(topic, topic + "_dead_letters", true)
                        .with(PluginServerOptions.PLUGINS_RELOAD_PUBSUB_CHANNEL, channel)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
        StreamExecutionEnvironment env = TestServices.streamingEnvironment();
        PluginServerJob.defineWorkflow(Inputs.kafka(env, settings), settings, new Sinks(settings));
        JobClient job = env.executeAsync("reload test");
        try {
            services.produce(topic, List.of(Messages.event(1, "u", "first", "{}")));
            TestServices.await(
                    "the first event with the first config",
                    TIMEOUT,
                    () -> countAdded(services, "one") == 1);

            sql(services, "UPDATE posthog_pluginconfig SET config = '{\"value\":\"two\"}'::jsonb");
            try (JedisPooled redis = new JedisPooled(URI.create(settings.redisUrl()))) {
                redis.publish(channel, "reload");
            }
            // The announcement is asynchronous: keep sending until an event shows the new config.
            TestServices.await(
                    "an event with the reloaded config",
                    TIMEOUT,
                    () -> {
                        services.produce(
                                topic,
                                List.of(
                                        Messages.event(
                                                (int) (System.nanoTime() % 1_000_000),
                                                "u",
                                                "later",
                                                "{}")));
                        Thread.sleep(500);
                        return countAdded(services, "two") > 0;
                    });
        } finally {
            job.cancel().get();
        }
        assertThat(countAdded(services, "one")).isGreaterThanOrEqualTo(1);
        assertThat(countAdded(services, "two")).isGreaterThanOrEqualTo(1);
    }
}
