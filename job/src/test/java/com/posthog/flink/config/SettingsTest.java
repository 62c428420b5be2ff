package com.posthog.flink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void keysAreTheVariableNamesInLowerCaseWithDashes() {
        assertThat(PluginServerOptions.TASK_TIMEOUT.key()).isEqualTo("plugin-server.task-timeout");
        assertThat(PluginServerOptions.envNameOf(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC))
                .isEqualTo("KAFKA_CONSUMPTION_TOPIC");
    }

    @Test
    void dynamicPropertiesWinOverEnvironmentWhichWinsOverTheFileWhichWinsOverDefaults() {
        Configuration file = new Configuration();
        file.setString("plugin-server.task-timeout", "10");
        file.setString("plugin-server.kafka-hosts", "file:9092");
        file.setString("plugin-server.clickhouse-host", "file-host");
        Map<String, String> env = Map.of("TASK_TIMEOUT", "20", "KAFKA_HOSTS", "env:9092");
        Map<String, String> dynamic = Map.of("plugin-server.task-timeout", "40");

        Settings settings = Settings.resolve(dynamic, env, file);

        assertThat(settings.number(PluginServerOptions.TASK_TIMEOUT)).isEqualTo(40);
        assertThat(settings.string(PluginServerOptions.KAFKA_HOSTS)).isEqualTo("env:9092");
        assertThat(settings.string(PluginServerOptions.CLICKHOUSE_HOST)).isEqualTo("file-host");
        assertThat(settings.string(PluginServerOptions.CLICKHOUSE_DATABASE)).isEqualTo("default");
    }

    @Test
    void changedDefaultsAreThoseOfTheContract() {
        Settings settings = Settings.of(Map.of());

        assertThat(settings.bool(PluginServerOptions.KAFKA_ENABLED)).isTrue();
        assertThat(settings.string(PluginServerOptions.KAFKA_HOSTS)).isEqualTo("localhost:9092");
        assertThat(settings.string(PluginServerOptions.KAFKA_CONSUMER_GROUP))
                .isEqualTo("clickhouse-ingestion");
        assertThat(settings.postgres().jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost:5432/posthog");
        assertThat(settings.number(PluginServerOptions.SCHEDULED_TASK_TIMEOUT)).isEqualTo(60);
        assertThat(settings.number(PluginServerOptions.CHECKPOINT_INTERVAL_SECONDS)).isEqualTo(30);
    }

    @Test
    void booleansFollowTheOriginalsRule() {
        for (String yes : new String[] {"y", "yes", "t", "true", "on", "1", "TRUE", "On"}) {
            assertThat(Settings.parseBoolean(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"", "no", "false", "0", "off", "2", "yess"}) {
            assertThat(Settings.parseBoolean(no)).as(no).isFalse();
        }
    }

    @Test
    void numbersFollowParseFloat() {
        assertThat(Settings.parseFloat("3008.12")).isEqualTo(3008.12);
        assertThat(Settings.parseFloat("  30s")).isEqualTo(30);
        assertThat(Settings.parseFloat("1e3")).isEqualTo(1000);
        assertThat(Settings.parseFloat("-.5")).isEqualTo(-0.5);
        assertThat(Settings.parseFloat("Infinity")).isInfinite();
        assertThat(Settings.parseFloat("abc")).isNaN();
        assertThat(Settings.parseFloat("")).isNaN();
    }

    @Test
    void aSettingThatIsNotANumberSaysWhichAndWhat() {
        Settings settings = Settings.of(Map.of(PluginServerOptions.TASK_TIMEOUT, "soon"));

        assertThatThrownBy(() -> settings.number(PluginServerOptions.TASK_TIMEOUT))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("Setting TASK_TIMEOUT must be a number, but it is 'soon'.");
    }

    @Test
    void databaseUrlsAreParsedWithUserPasswordAndPort() {
        Settings.PostgresConnection c =
                Settings.PostgresConnection.fromUrl("postgres://bob:s%40cret@db.local:6543/ph");

        assertThat(c.user()).isEqualTo("bob");
        assertThat(c.password()).isEqualTo("s@cret");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/ph");
        assertThat(
                        Settings.PostgresConnection.fromUrl(
                                        "postgres://posthog@127.0.0.1:15432/posthog")
                                .port())
                .isEqualTo(15432);
        assertThatThrownBy(() -> Settings.PostgresConnection.fromUrl("mysql://x"))
                .isInstanceOf(InvalidSettingException.class);
    }

    @Test
    void withoutDatabaseUrlThePosthogDbVariablesAreUsed() {
        Settings settings =
                Settings.of(
                        Map.of(
                                PluginServerOptions.DATABASE_URL, "",
                                PluginServerOptions.POSTHOG_DB_NAME, "ph",
                                PluginServerOptions.POSTHOG_POSTGRES_HOST, "pg"));

        assertThat(settings.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://pg:5432/ph");
        assertThat(settings.postgres().user()).isEqualTo("postgres");
    }

    @Test
    void clickHousePortDependsOnSecureUnlessGiven() {
        assertThat(Settings.of(Map.of()).clickHouseEndpoint()).isEqualTo("http://localhost:8123");
        assertThat(
                        Settings.of(Map.of(PluginServerOptions.CLICKHOUSE_SECURE, "yes"))
                                .clickHouseEndpoint())
                .isEqualTo("https://localhost:8443");
        assertThat(
                        Settings.of(Map.of(PluginServerOptions.CLICKHOUSE_HTTP_PORT, "18123"))
                                .clickHouseEndpoint())
                .isEqualTo("http://localhost:18123");
    }

    @Test
    void redisHostOverridesRedisUrl() {
        assertThat(Settings.of(Map.of()).redisUrl()).isEqualTo("redis://127.0.0.1");
        assertThat(
                        Settings.of(
                                        Map.of(
                                                PluginServerOptions.POSTHOG_REDIS_HOST, "cache",
                                                PluginServerOptions.POSTHOG_REDIS_PASSWORD, "pw"))
                                .redisUrl())
                .isEqualTo("redis://:pw@cache:6379");
    }

    @Test
    void everyOptionHasADescriptionForHelp() {
        for (var option : PluginServerOptions.ALL) {
            assertThat(PluginServerOptions.describe(option)).as(option.key()).isNotBlank();
        }
    }
}
