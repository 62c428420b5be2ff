package com.posthog.flink.cli;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.sink.KafkaProperties;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import redis.clients.jedis.JedisPooled;

/**
 * Checks before a job starts that each service it needs answers, so that a missing service is one
 * sentence saying what to fix instead of a job that restarts forever.
 */
final class Preflight {

    private Preflight() {}

    /**
     * @return null when all is well, else the sentence to print
     */
    static String check(Settings settings, boolean kafka, boolean redis) {
        Settings.PostgresConnection postgres = settings.postgres();
        try (PostgresClient client = new PostgresClient(postgres)) {
            client.execute(c -> c.isValid(5));
        } catch (Exception e) {
            return "Cannot reach Postgres at "
                    + postgres
                    + " ("
                    + rootMessage(e)
                    + "): start it (scripts/stack up) or set DATABASE_URL.";
        }
        if (settings.bool(PluginServerOptions.KAFKA_ENABLED)) {
            try (ClickHouseClient client = ClickHouseClient.fromSettings(settings)) {
                client.query("SELECT 1");
            } catch (Exception e) {
                return "Cannot reach ClickHouse at "
                        + settings.clickHouseEndpoint()
                        + " (database "
                        + settings.string(PluginServerOptions.CLICKHOUSE_DATABASE)
                        + ": "
                        + rootMessage(e)
                        + "): start it (scripts/stack up), run --migrate, or set CLICKHOUSE_HOST and CLICKHOUSE_HTTP_PORT.";
            }
        }
        if (kafka) {
            Properties properties = KafkaProperties.common(settings);
            properties.setProperty("request.timeout.ms", "5000");
            properties.setProperty("default.api.timeout.ms", "8000");
            try (Admin admin = Admin.create(properties)) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                return "Cannot reach Kafka at "
                        + settings.string(PluginServerOptions.KAFKA_HOSTS)
                        + " ("
                        + rootMessage(e)
                        + "): start it (scripts/stack up) or set KAFKA_HOSTS.";
            }
        }
        if (redis) {
            try (JedisPooled client = new JedisPooled(URI.create(settings.redisUrl()))) {
                client.ping();
            } catch (Exception e) {
                return "Cannot reach Redis at "
                        + settings.redisUrl()
                        + " ("
                        + rootMessage(e)
                        + "): start it (scripts/stack up) or set REDIS_URL.";
            }
        }
        return null;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank()
                ? root.getClass().getSimpleName()
                : message.strip();
    }
}
