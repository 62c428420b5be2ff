package com.posthog.flink.cli;

import com.posthog.flink.config.InvalidSettingException;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.Migrations;
import com.posthog.flink.health.HealthPing;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import redis.clients.jedis.JedisPooled;

/**
 * Entry point of {@code scripts/plugin-server} and of the job jar on a cluster: picks the mode,
 * resolves the settings and runs it. Exit codes: 0 done, 1 failed (one sentence why), 2 for an
 * unreadable input file.
 */
public final class PluginServer {

    private PluginServer() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    public static int run(String[] args, Map<String, String> environment) {
        CommandLine command = CommandLine.parse(args);
        command.warnings().forEach(warning -> System.err.println("warning: " + warning));
        try {
            Configuration fileConfig = loadFileConfig(environment);
            Settings settings = Settings.resolve(command.dynamic(), environment, fileConfig);
            return switch (command.mode()) {
                case HELP -> help();
                case VERSION -> version();
                case HEALTHCHECK -> healthcheck(settings);
                case MIGRATE -> migrate(settings);
                case IDLE -> idle();
                case INPUT_FILE ->
                        JobLauncher.runInputFile(
                                settings, fileConfig, command.dynamic(), command.inputFile());
                case RUN ->
                        settings.bool(PluginServerOptions.PLUGIN_SERVER_IDLE)
                                ? idle()
                                : JobLauncher.runStreaming(settings, fileConfig, command.dynamic());
            };
        } catch (InvalidSettingException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    /** {@code config.yaml} from {@code FLINK_CONF_DIR}, as Flink's own tools find it. */
    private static Configuration loadFileConfig(Map<String, String> environment) {
        String dir = environment.get("FLINK_CONF_DIR");
        if (dir == null || dir.isBlank()) {
            return new Configuration();
        }
        return GlobalConfiguration.loadConfiguration(dir);
    }

    private static int help() {
        System.out.println("@posthog/plugin-server (Flink) v" + Version.VERSION);
        System.out.println();
        System.out.println("Usage: scripts/plugin-server [MODE] [-Dkey=value]...");
        System.out.println("Modes (the first given wins):");
        System.out.println(
                "  (none)              run the job: a local MiniCluster with the web UI on http://localhost:8081,");
        System.out.println("                      or, submitted with `flink run`, on that cluster");
        System.out.println("  --help, -h          this help");
        System.out.println("  --version, -v       print the version");
        System.out.println(
                "  --healthcheck       exit 0 iff the running job's ping in Redis is fresh (and its last checkpoint)");
        System.out.println(
                "  --migrate           apply sql/ to Postgres and ClickHouse (exit 0 or 1)");
        System.out.println("  --idle              do nothing, as PLUGIN_SERVER_IDLE=true");
        System.out.println(
                "  --input-file FILE   run the pipeline over a file of events_plugin_ingestion messages, then exit");
        System.out.println();
        System.out.println(
                "Settings: environment variable, or -Dplugin-server.<name>=value, or flink-conf/config.yaml.");
        System.out.println(
                "Precedence: -D > environment > config.yaml > default. Booleans: y|yes|t|true|on|1.");
        System.out.println();
        for (ConfigOption<String> option : PluginServerOptions.ALL) {
            String name = PluginServerOptions.envNameOf(option);
            String description = PluginServerOptions.describe(option);
            System.out.printf(
                    "  %-40s default: %s%n      %s%n      key: %s%n",
                    name,
                    option.defaultValue().isEmpty() ? "(empty)" : option.defaultValue(),
                    description,
                    option.key());
        }
        return 0;
    }

    private static int version() {
        System.out.println("@posthog/plugin-server (Flink) v" + Version.VERSION);
        return 0;
    }

    private static int healthcheck(Settings settings) {
        String problem;
        String value = null;
        try (JedisPooled redis = new JedisPooled(URI.create(settings.redisUrl()))) {
            value = redis.get(HealthPing.KEY);
            problem =
                    HealthPing.problem(
                            value,
                            System.currentTimeMillis(),
                            (long)
                                    (settings.number(
                                                    PluginServerOptions
                                                            .HEALTHCHECK_MAX_CHECKPOINT_AGE_SECONDS)
                                            * 1000));
        } catch (RuntimeException e) {
            problem = "no ping";
            System.err.println(
                    "Cannot read the ping from Redis at "
                            + settings.redisUrl()
                            + ": "
                            + Preflight.rootMessage(e));
        }
        if (problem == null) {
            System.out.println("healthy: " + value);
            return 0;
        }
        System.out.println(problem);
        return 1;
    }

    private static int migrate(Settings settings) {
        try {
            List<String> applied = Migrations.migratePostgres(settings.postgres());
            applied.addAll(
                    Migrations.migrateClickHouse(
                            settings.clickHouseEndpoint(),
                            settings.string(PluginServerOptions.CLICKHOUSE_USER),
                            settings.string(PluginServerOptions.CLICKHOUSE_PASSWORD),
                            settings.string(PluginServerOptions.CLICKHOUSE_DATABASE)));
            System.out.println(
                    applied.isEmpty()
                            ? "migrate: up to date"
                            : "migrate: applied " + String.join(", ", applied));
            return 0;
        } catch (Exception e) {
            System.err.println("migrate failed: " + Preflight.rootMessage(e));
            return 1;
        }
    }

    private static int idle() {
        System.out.println("Plugin server is idle (PLUGIN_SERVER_IDLE): not consuming events.");
        while (true) {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return 0;
            }
            System.out.println("Plugin server still disengaged (PLUGIN_SERVER_IDLE).");
        }
    }
}
