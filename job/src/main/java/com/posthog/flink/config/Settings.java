package com.posthog.flink.config;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The resolved settings of one job: every {@link PluginServerOptions} option with its raw string
 * value, parsed on access by the original server's rules (numbers by JavaScript {@code parseFloat},
 * booleans {@code y|yes|t|true|on|1}).
 *
 * <p>Precedence: {@code -D} &gt; environment &gt; {@code config.yaml} &gt; default. The environment
 * is read by the entry point only and handed in here; operators receive this object.
 */
public final class Settings implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern TRUE =
            Pattern.compile("^(y|yes|t|true|on|1)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FLOAT_PREFIX =
            Pattern.compile("^[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");

    /** Option key → raw value, for every option in {@link PluginServerOptions#ALL}. */
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Resolves every option.
     *
     * @param dynamic {@code -Dkey=value} pairs from the command line (other keys are ignored here)
     * @param environment the process environment (only option names are looked up)
     * @param fileConfig the loaded {@code config.yaml}
     */
    public static Settings resolve(
            Map<String, String> dynamic,
            Map<String, String> environment,
            Configuration fileConfig) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigOption<String> option : PluginServerOptions.ALL) {
            String envName = PluginServerOptions.envNameOf(option);
            String value;
            if (dynamic.containsKey(option.key())) {
                value = dynamic.get(option.key());
            } else if (environment.containsKey(envName)) {
                value = environment.get(envName);
            } else {
                value = fileConfig.get(option);
            }
            values.put(option.key(), value == null ? "" : value);
        }
        return new Settings(values);
    }

    /** Defaults overridden by the given option values; for tests and tools. */
    public static Settings of(Map<ConfigOption<String>, String> overrides) {
        Map<String, String> dynamic = new HashMap<>();
        overrides.forEach((option, value) -> dynamic.put(option.key(), value));
        return resolve(dynamic, Map.of(), new Configuration());
    }

    /** A copy with some options replaced. */
    public Settings with(ConfigOption<String> option, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(option.key(), value);
        return new Settings(copy);
    }

    public String string(ConfigOption<String> option) {
        String value = values.get(option.key());
        if (value == null) {
            throw new IllegalArgumentException("Unknown setting " + option.key());
        }
        return value;
    }

    public boolean bool(ConfigOption<String> option) {
        return parseBoolean(string(option));
    }

    /** A number by JavaScript {@code parseFloat}; a value that is not a number is a user error. */
    public double number(ConfigOption<String> option) {
        double parsed = parseFloat(string(option));
        if (Double.isNaN(parsed)) {
            throw new InvalidSettingException(
                    "Setting "
                            + PluginServerOptions.envNameOf(option)
                            + " must be a number, but it is '"
                            + string(option)
                            + "'.");
        }
        return parsed;
    }

    public int integer(ConfigOption<String> option) {
        return (int) number(option);
    }

    /**
     * As the original: {@code y|yes|t|true|on|1}, case-insensitive, is true; anything else false.
     */
    public static boolean parseBoolean(String value) {
        return value != null && TRUE.matcher(value.trim()).matches();
    }

    /** JavaScript {@code parseFloat}: the longest numeric prefix after leading spaces, else NaN. */
    public static double parseFloat(String value) {
        if (value == null) {
            return Double.NaN;
        }
        Matcher matcher = FLOAT_PREFIX.matcher(value.stripLeading());
        if (!matcher.find()) {
            return Double.NaN;
        }
        String number = matcher.group();
        if (number.endsWith("Infinity")) {
            return number.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(number);
    }

    // --- Derived connection settings

    /** The Postgres connection, from DATABASE_URL or else the POSTHOG_DB_* variables. */
    public PostgresConnection postgres() {
        String url = string(PluginServerOptions.DATABASE_URL);
        if (!url.isBlank()) {
            return PostgresConnection.fromUrl(url);
        }
        String database = string(PluginServerOptions.POSTHOG_DB_NAME);
        if (database.isBlank()) {
            throw new InvalidSettingException(
                    "Set DATABASE_URL (or POSTHOG_DB_NAME) to the Postgres database of PostHog.");
        }
        return new PostgresConnection(
                string(PluginServerOptions.POSTHOG_POSTGRES_HOST),
                integer(PluginServerOptions.POSTHOG_POSTGRES_PORT),
                database,
                string(PluginServerOptions.POSTHOG_DB_USER),
                string(PluginServerOptions.POSTHOG_DB_PASSWORD));
    }

    /** The Redis URL; POSTHOG_REDIS_HOST, when set, overrides REDIS_URL as in the original. */
    public String redisUrl() {
        String host = string(PluginServerOptions.POSTHOG_REDIS_HOST);
        if (host.isBlank()) {
            return string(PluginServerOptions.REDIS_URL);
        }
        String password = string(PluginServerOptions.POSTHOG_REDIS_PASSWORD);
        return "redis://"
                + (password.isEmpty() ? "" : ":" + password + "@")
                + host
                + ":"
                + integer(PluginServerOptions.POSTHOG_REDIS_PORT);
    }

    /** The ClickHouse HTTP endpoint, e.g. {@code http://localhost:8123}. */
    public String clickHouseEndpoint() {
        boolean secure = bool(PluginServerOptions.CLICKHOUSE_SECURE);
        String port = string(PluginServerOptions.CLICKHOUSE_HTTP_PORT);
        int resolvedPort =
                port.isBlank()
                        ? (secure ? 8443 : 8123)
                        : integer(PluginServerOptions.CLICKHOUSE_HTTP_PORT);
        return (secure ? "https://" : "http://")
                + string(PluginServerOptions.CLICKHOUSE_HOST)
                + ":"
                + resolvedPort;
    }

    /** The local parallelism: WORKER_CONCURRENCY, or the number of cores when it is 0. */
    public int localParallelism() {
        int configured = integer(PluginServerOptions.WORKER_CONCURRENCY);
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** A Postgres connection parsed from a {@code postgres://} URL. */
    public record PostgresConnection(
            String host, int port, String database, String user, String password)
            implements Serializable {

        private static final Pattern URL =
                Pattern.compile(
                        "^postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?$");

        public static PostgresConnection fromUrl(String url) {
            Matcher m = URL.matcher(url.trim());
            if (!m.matches()) {
                throw new InvalidSettingException(
                        "DATABASE_URL must look like postgres://user:password@host:5432/posthog, but it is '"
                                + url
                                + "'.");
            }
            return new PostgresConnection(
                    m.group(3),
                    m.group(4) == null ? 5432 : Integer.parseInt(m.group(4)),
                    decode(m.group(5)),
                    m.group(1) == null || m.group(1).isEmpty() ? "postgres" : decode(m.group(1)),
                    Optional.ofNullable(m.group(2)).map(PostgresConnection::decode).orElse(""));
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /** The same server, another database (tests use their own). */
        public PostgresConnection withDatabase(String otherDatabase) {
            return new PostgresConnection(host, port, otherDatabase, user, password);
        }

        private static String decode(String part) {
            return java.net.URLDecoder.decode(part, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "postgres://" + user + "@" + host + ":" + port + "/" + database;
        }
    }
}
