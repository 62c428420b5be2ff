package com.posthog.flink.config;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the plugin server, one {@link ConfigOption} per environment variable of the
 * original server (spec §6.3) that still means something here, plus this project's own.
 *
 * <p>The key of a variable {@code TASK_TIMEOUT} is {@code plugin-server.task-timeout}. All options
 * are typed as strings and parsed by the original's rules ({@link Settings}), so that {@code
 * -D...=yes} and a YAML {@code on} mean the same as the environment variable would.
 */
public final class PluginServerOptions {

    private PluginServerOptions() {}

    public static final String KEY_PREFIX = "plugin-server.";

    /** Option key → its description in plain text, for {@code --help}. */
    private static final java.util.Map<String, String> DESCRIPTIONS = new java.util.HashMap<>();

    // --- Postgres
    public static final ConfigOption<String> DATABASE_URL =
            option(
                    "DATABASE_URL",
                    "postgres://localhost:5432/posthog",
                    "Postgres connection URL (postgres://user:password@host:port/db). Takes precedence over the POSTHOG_DB_* / POSTHOG_POSTGRES_* variables.");
    public static final ConfigOption<String> POSTHOG_DB_NAME =
            option(
                    "POSTHOG_DB_NAME",
                    "",
                    "Postgres database name, used only without DATABASE_URL.");
    public static final ConfigOption<String> POSTHOG_DB_USER =
            option("POSTHOG_DB_USER", "postgres", "Postgres user, used only without DATABASE_URL.");
    public static final ConfigOption<String> POSTHOG_DB_PASSWORD =
            option("POSTHOG_DB_PASSWORD", "", "Postgres password, used only without DATABASE_URL.");
    public static final ConfigOption<String> POSTHOG_POSTGRES_HOST =
            option(
                    "POSTHOG_POSTGRES_HOST",
                    "localhost",
                    "Postgres host, used only without DATABASE_URL.");
    public static final ConfigOption<String> POSTHOG_POSTGRES_PORT =
            option(
                    "POSTHOG_POSTGRES_PORT",
                    "5432",
                    "Postgres port, used only without DATABASE_URL.");

    // --- Redis
    public static final ConfigOption<String> REDIS_URL =
            option(
                    "REDIS_URL",
                    "redis://127.0.0.1",
                    "Redis URL (redis://[:password@]host[:port][/db]).");
    public static final ConfigOption<String> POSTHOG_REDIS_HOST =
            option("POSTHOG_REDIS_HOST", "", "Redis host; when set it overrides REDIS_URL.");
    public static final ConfigOption<String> POSTHOG_REDIS_PORT =
            option("POSTHOG_REDIS_PORT", "6379", "Redis port, used with POSTHOG_REDIS_HOST.");
    public static final ConfigOption<String> POSTHOG_REDIS_PASSWORD =
            option("POSTHOG_REDIS_PASSWORD", "", "Redis password, used with POSTHOG_REDIS_HOST.");
    public static final ConfigOption<String> REDIS_POOL_MIN_SIZE =
            option("REDIS_POOL_MIN_SIZE", "1", "Minimum idle Redis connections per subtask.");
    public static final ConfigOption<String> REDIS_POOL_MAX_SIZE =
            option("REDIS_POOL_MAX_SIZE", "3", "Maximum Redis connections per subtask.");

    // --- ClickHouse
    public static final ConfigOption<String> CLICKHOUSE_HOST =
            option("CLICKHOUSE_HOST", "localhost", "ClickHouse host (HTTP interface).");
    public static final ConfigOption<String> CLICKHOUSE_HTTP_PORT =
            option(
                    "CLICKHOUSE_HTTP_PORT",
                    "",
                    "ClickHouse HTTP port; empty means 8123, or 8443 when CLICKHOUSE_SECURE.");
    public static final ConfigOption<String> CLICKHOUSE_DATABASE =
            option(
                    "CLICKHOUSE_DATABASE",
                    "default",
                    "ClickHouse database holding the event tables.");
    public static final ConfigOption<String> CLICKHOUSE_USER =
            option("CLICKHOUSE_USER", "default", "ClickHouse user.");
    public static final ConfigOption<String> CLICKHOUSE_PASSWORD =
            option("CLICKHOUSE_PASSWORD", "", "ClickHouse password.");
    public static final ConfigOption<String> CLICKHOUSE_CA =
            option(
                    "CLICKHOUSE_CA",
                    "",
                    "CA certificate file for ClickHouse over https, relative to BASE_DIR.");
    public static final ConfigOption<String> CLICKHOUSE_SECURE =
            option("CLICKHOUSE_SECURE", "false", "Talk to ClickHouse over https.");

    // --- Kafka
    public static final ConfigOption<String> KAFKA_ENABLED =
            option(
                    "KAFKA_ENABLED",
                    "true",
                    "true: the ClickHouse pipeline (events to ClickHouse); false: the Postgres pipeline (events to posthog_event). Input is Kafka either way.");
    public static final ConfigOption<String> KAFKA_HOSTS =
            option("KAFKA_HOSTS", "localhost:9092", "Kafka bootstrap servers, comma separated.");
    public static final ConfigOption<String> KAFKA_CLIENT_CERT_B64 =
            option(
                    "KAFKA_CLIENT_CERT_B64",
                    "",
                    "Base64 PEM client certificate; TLS when all three cert variables are set.");
    public static final ConfigOption<String> KAFKA_CLIENT_CERT_KEY_B64 =
            option(
                    "KAFKA_CLIENT_CERT_KEY_B64",
                    "",
                    "Base64 PEM client key; TLS when all three cert variables are set.");
    public static final ConfigOption<String> KAFKA_TRUSTED_CERT_B64 =
            option(
                    "KAFKA_TRUSTED_CERT_B64",
                    "",
                    "Base64 PEM trusted CA; TLS when all three cert variables are set.");
    public static final ConfigOption<String> KAFKA_CONSUMPTION_TOPIC =
            option(
                    "KAFKA_CONSUMPTION_TOPIC",
                    "events_plugin_ingestion",
                    "Topic the events are read from.");
    public static final ConfigOption<String> KAFKA_CONSUMER_GROUP =
            option(
                    "KAFKA_CONSUMER_GROUP",
                    "clickhouse-ingestion",
                    "Kafka consumer group of the source.");
    public static final ConfigOption<String> KAFKA_DEAD_LETTER_TOPIC =
            option(
                    "KAFKA_DEAD_LETTER_TOPIC",
                    "events_dead_letter_queue",
                    "Topic dead letters are produced to.");
    public static final ConfigOption<String> KAFKA_PRODUCER_MAX_QUEUE_SIZE =
            option(
                    "KAFKA_PRODUCER_MAX_QUEUE_SIZE",
                    "1000",
                    "Rows buffered per sink subtask before a batch is written.");
    public static final ConfigOption<String> KAFKA_MAX_MESSAGE_BATCH_SIZE =
            option("KAFKA_MAX_MESSAGE_BATCH_SIZE", "900000", "Bytes per Kafka producer batch.");
    public static final ConfigOption<String> KAFKA_FLUSH_FREQUENCY_MS =
            option(
                    "KAFKA_FLUSH_FREQUENCY_MS",
                    "500",
                    "Milliseconds after which a partial sink batch is written.");

    // --- Plugins and runtime
    public static final ConfigOption<String> BASE_DIR =
            option("BASE_DIR", ".", "Base directory for local (file:) plugins and CLICKHOUSE_CA.");
    public static final ConfigOption<String> WORKER_CONCURRENCY =
            option(
                    "WORKER_CONCURRENCY",
                    "0",
                    "Parallelism of a local run; 0 means the number of CPU cores.");
    public static final ConfigOption<String> TASK_TIMEOUT =
            option(
                    "TASK_TIMEOUT",
                    "30",
                    "Seconds a plugin may spend on one event before it is cancelled.");
    public static final ConfigOption<String> SCHEDULED_TASK_TIMEOUT =
            option(
                    "SCHEDULED_TASK_TIMEOUT",
                    "60",
                    "Seconds for runEvery*, jobs and exportEvents calls.");
    public static final ConfigOption<String> PLUGIN_MEMORY_LIMIT_MB =
            option(
                    "PLUGIN_MEMORY_LIMIT_MB",
                    "256",
                    "Megabytes one plugin call may allocate before it is cancelled.");
    public static final ConfigOption<String> MAX_PLUGIN_CONTEXTS =
            option(
                    "MAX_PLUGIN_CONTEXTS",
                    "1000",
                    "Plugin contexts kept per subtask; least recently used are closed first.");
    public static final ConfigOption<String> PLUGINS_RELOAD_PUBSUB_CHANNEL =
            option(
                    "PLUGINS_RELOAD_PUBSUB_CHANNEL",
                    "reload-plugins",
                    "Redis channel announcing plugin changes.");
    public static final ConfigOption<String> PLUGINS_CELERY_QUEUE =
            option(
                    "PLUGINS_CELERY_QUEUE",
                    "posthog-plugins",
                    "Redis list the PostHog app sends plugin_job Celery tasks to (jobs started from the plugin config page).");
    public static final ConfigOption<String> DISABLE_MMDB =
            option("DISABLE_MMDB", "false", "Disable GeoIP (meta.geoip.locate throws).");
    public static final ConfigOption<String> MMDB_PATH =
            option(
                    "MMDB_PATH",
                    "",
                    "Local MaxMind City MMDB file for meta.geoip; empty means GeoIP is not available.");
    public static final ConfigOption<String> PLUGIN_SERVER_IDLE =
            option(
                    "PLUGIN_SERVER_IDLE",
                    "false",
                    "Start idle: do nothing but log that the server is disengaged.");
    public static final ConfigOption<String> CAPTURE_INTERNAL_METRICS =
            option(
                    "CAPTURE_INTERNAL_METRICS",
                    "false",
                    "Capture $$plugin_server_events_processed into the internal metrics team.");
    public static final ConfigOption<String> LOG_LEVEL =
            option(
                    "LOG_LEVEL",
                    "info",
                    "Lowest plugin console level kept: debug, info, log, warn or error.");

    // --- Metrics
    public static final ConfigOption<String> STATSD_HOST =
            option(
                    "STATSD_HOST",
                    "",
                    "StatsD host; when set, a local run reports Flink metrics to it.");
    public static final ConfigOption<String> STATSD_PORT =
            option("STATSD_PORT", "8125", "StatsD port.");
    public static final ConfigOption<String> STATSD_PREFIX =
            option("STATSD_PREFIX", "plugin-server.", "Prefix of StatsD metric names.");

    // --- Flink
    public static final ConfigOption<String> CHECKPOINT_INTERVAL_SECONDS =
            option("CHECKPOINT_INTERVAL_SECONDS", "30", "Seconds between checkpoints.");
    public static final ConfigOption<String> HEALTHCHECK_MAX_CHECKPOINT_AGE_SECONDS =
            option(
                    "HEALTHCHECK_MAX_CHECKPOINT_AGE_SECONDS",
                    "120",
                    "The health check fails when the last completed checkpoint is older than this.");

    /** All options, in the order --help lists them. */
    public static final List<ConfigOption<String>> ALL =
            List.of(
                    DATABASE_URL,
                    POSTHOG_DB_NAME,
                    POSTHOG_DB_USER,
                    POSTHOG_DB_PASSWORD,
                    POSTHOG_POSTGRES_HOST,
                    POSTHOG_POSTGRES_PORT,
                    REDIS_URL,
                    POSTHOG_REDIS_HOST,
                    POSTHOG_REDIS_PORT,
                    POSTHOG_REDIS_PASSWORD,
                    REDIS_POOL_MIN_SIZE,
                    REDIS_POOL_MAX_SIZE,
                    CLICKHOUSE_HOST,
                    CLICKHOUSE_HTTP_PORT,
                    CLICKHOUSE_DATABASE,
                    CLICKHOUSE_USER,
                    CLICKHOUSE_PASSWORD,
                    CLICKHOUSE_CA,
                    CLICKHOUSE_SECURE,
                    KAFKA_ENABLED,
                    KAFKA_HOSTS,
                    KAFKA_CLIENT_CERT_B64,
                    KAFKA_CLIENT_CERT_KEY_B64,
                    KAFKA_TRUSTED_CERT_B64,
                    KAFKA_CONSUMPTION_TOPIC,
                    KAFKA_CONSUMER_GROUP,
                    KAFKA_DEAD_LETTER_TOPIC,
                    KAFKA_PRODUCER_MAX_QUEUE_SIZE,
                    KAFKA_MAX_MESSAGE_BATCH_SIZE,
                    KAFKA_FLUSH_FREQUENCY_MS,
                    BASE_DIR,
                    WORKER_CONCURRENCY,
                    TASK_TIMEOUT,
                    SCHEDULED_TASK_TIMEOUT,
                    PLUGIN_MEMORY_LIMIT_MB,
                    MAX_PLUGIN_CONTEXTS,
                    PLUGINS_RELOAD_PUBSUB_CHANNEL,
                    PLUGINS_CELERY_QUEUE,
                    DISABLE_MMDB,
                    MMDB_PATH,
                    PLUGIN_SERVER_IDLE,
                    CAPTURE_INTERNAL_METRICS,
                    LOG_LEVEL,
                    STATSD_HOST,
                    STATSD_PORT,
                    STATSD_PREFIX,
                    CHECKPOINT_INTERVAL_SECONDS,
                    HEALTHCHECK_MAX_CHECKPOINT_AGE_SECONDS);

    /** {@code TASK_TIMEOUT} → {@code plugin-server.task-timeout}. */
    public static String keyOf(String envName) {
        return KEY_PREFIX + envName.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** {@code plugin-server.task-timeout} → {@code TASK_TIMEOUT}. */
    public static String envNameOf(ConfigOption<?> option) {
        return option.key()
                .substring(KEY_PREFIX.length())
                .toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_');
    }

    /** The description of an option as plain text. */
    public static String describe(ConfigOption<String> option) {
        return DESCRIPTIONS.get(option.key());
    }

    private static ConfigOption<String> option(
            String envName, String defaultValue, String description) {
        DESCRIPTIONS.put(keyOf(envName), description);
        return ConfigOptions.key(keyOf(envName))
                .stringType()
                .defaultValue(defaultValue)
                .withDescription(description + " (environment variable " + envName + ")");
    }
}
