package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.runtime.PluginLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code scripts/plugin-run} (CONTRACTS.md), checked. {@link #parse} throws
 * {@link IllegalArgumentException} with one sentence for any mistake.
 *
 * @param invoke what to call, {@link Invoke#PROCESS_EVENT} by default
 * @param report {@code --format report}
 * @param now {@code --now}, or null for the current time (fixed within each phase)
 * @param ticks {@code --ticks}, for {@code runEvery*}
 * @param redis {@code --redis URL}: {@code meta.cache} in that Redis, or null for memory
 * @param database {@code --database URL}: {@code meta.storage} in that Postgres, or null for memory
 */
public record Arguments(
        List<PluginArgs> plugins,
        Invoke invoke,
        boolean report,
        Path fetchMock,
        Path fetchLog,
        Path dumpState,
        Instant now,
        int ticks,
        Path mmdb,
        Duration timeout,
        String redis,
        String database) {

    public static final String USAGE =
            "Usage: scripts/plugin-run --plugin DIR|FILE.zip|FILE.tgz [--config KEY=VALUE]..."
                    + " [--config-file FILE.json] [--attachment KEY=FILE[:TYPE]]... [--plugin ...]"
                    + " [--invoke HOOK|job:NAME] [--ticks N] [--format default|report]"
                    + " [--fetch-mock ROUTES.json] [--fetch-log FILE] [--dump-state FILE]"
                    + " [--now ISO] [--mmdb FILE] [--timeout SECONDS] [--redis URL] [--database URL]"
                    + " < input.jsonl";

    /** Every option; each takes a value. */
    private static final java.util.Set<String> OPTIONS =
            java.util.Set.of(
                    "--plugin",
                    "--config",
                    "--config-file",
                    "--attachment",
                    "--invoke",
                    "--ticks",
                    "--format",
                    "--fetch-mock",
                    "--fetch-log",
                    "--dump-state",
                    "--now",
                    "--mmdb",
                    "--timeout",
                    "--redis",
                    "--database");

    /** One {@code --plugin} with the options that follow it. */
    public record PluginArgs(String path, ObjectNode config, List<String[]> attachments) {}

    /** The hook {@code --invoke} names. */
    public enum Hook {
        PROCESS_EVENT("processEvent"),
        PROCESS_EVENT_BATCH("processEventBatch"),
        ON_EVENT("onEvent"),
        ON_SNAPSHOT("onSnapshot"),
        EXPORT_EVENTS("exportEvents"),
        RUN_EVERY_MINUTE("runEveryMinute"),
        RUN_EVERY_HOUR("runEveryHour"),
        RUN_EVERY_DAY("runEveryDay"),
        JOB("job:NAME");

        /** The plugin's name for it. */
        public final String method;

        Hook(String method) {
            this.method = method;
        }
    }

    /**
     * A hook and, for {@link Hook#JOB}, the job's name.
     *
     * @param job the job name, null for other hooks
     */
    public record Invoke(Hook hook, String job) {

        public static final Invoke PROCESS_EVENT = new Invoke(Hook.PROCESS_EVENT, null);

        /** {@code processEvent|…|runEveryDay|job:NAME}. */
        static Invoke parse(String text) {
            if (text.startsWith("job:")) {
                if (text.length() == 4) {
                    throw new IllegalArgumentException("--invoke job:NAME needs a job name.");
                }
                return new Invoke(Hook.JOB, text.substring(4));
            }
            for (Hook hook : Hook.values()) {
                if (hook != Hook.JOB && hook.method.equals(text)) {
                    return new Invoke(hook, null);
                }
            }
            throw new IllegalArgumentException(
                    "Unknown --invoke target '"
                            + text
                            + "': give processEvent, processEventBatch, onEvent, onSnapshot,"
                            + " exportEvents, runEveryMinute, runEveryHour, runEveryDay or job:NAME.");
        }

        /** Scheduled tasks: stdin is not read, {@code --ticks} count. */
        public boolean scheduled() {
            return hook == Hook.RUN_EVERY_MINUTE
                    || hook == Hook.RUN_EVERY_HOUR
                    || hook == Hook.RUN_EVERY_DAY;
        }

        /** What a plugin must export for this, as {@code --invoke} spells it. */
        public String method() {
            return hook == Hook.JOB ? "job:" + job : hook.method;
        }
    }

    public static Arguments parse(String[] args) {
        List<PluginArgs> plugins = new ArrayList<>();
        Invoke invoke = Invoke.PROCESS_EVENT;
        boolean report = false;
        Path fetchMock = null;
        Path fetchLog = null;
        Path dumpState = null;
        Instant now = null;
        Integer ticks = null;
        Path mmdb = null;
        Duration timeout = PluginLimits.DEFAULTS.taskTimeout();
        String redis = null;
        String database = null;
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("Unknown argument '" + option + "'.");
            }
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value.");
            }
            switch (option) {
                case "--plugin" ->
                        plugins.add(
                                new PluginArgs(
                                        value, Json.MAPPER.createObjectNode(), new ArrayList<>()));
                case "--config" -> {
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException(
                                "--config takes KEY=VALUE, not '" + value + "'.");
                    }
                    last(plugins, option)
                            .config()
                            .put(value.substring(0, equals), value.substring(equals + 1));
                }
                case "--config-file" -> {
                    JsonNode file = jsonFile(option, Path.of(value));
                    if (file == null || !file.isObject()) {
                        throw new IllegalArgumentException(
                                "--config-file " + value + " must hold a JSON object.");
                    }
                    ObjectNode config = last(plugins, option).config();
                    ObjectNode merged = ((ObjectNode) file).deepCopy();
                    merged.setAll(config);
                    config.removeAll().setAll(merged);
                }
                case "--attachment" -> {
                    String[] keyAndFile = value.split("=", 2);
                    if (keyAndFile.length != 2 || keyAndFile[0].isEmpty()) {
                        throw new IllegalArgumentException(
                                "--attachment takes KEY=FILE[:TYPE], not '" + value + "'.");
                    }
                    last(plugins, option).attachments().add(keyAndFile);
                }
                case "--invoke" -> invoke = Invoke.parse(value);
                case "--ticks" -> ticks = positive(option, value);
                case "--format" ->
                        report =
                                switch (value) {
                                    case "report" -> true;
                                    case "default" -> false;
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "--format is default or report, not '"
                                                            + value
                                                            + "'.");
                                };
                case "--fetch-mock" -> fetchMock = Path.of(value);
                case "--fetch-log" -> fetchLog = Path.of(value);
                case "--dump-state" -> dumpState = Path.of(value);
                case "--now" -> now = instant(value);
                case "--mmdb" -> mmdb = Path.of(value);
                case "--timeout" -> timeout = seconds(option, value);
                case "--redis" -> redis = value;
                case "--database" -> database = value;
                default -> throw new IllegalStateException("an option of OPTIONS is not handled");
            }
        }
        if (plugins.isEmpty()) {
            throw new IllegalArgumentException("Give at least one --plugin DIR|FILE.zip|FILE.tgz.");
        }
        if (ticks != null && !invoke.scheduled()) {
            throw new IllegalArgumentException(
                    "--ticks goes with --invoke runEveryMinute, runEveryHour or runEveryDay.");
        }
        return new Arguments(
                plugins,
                invoke,
                report,
                fetchMock,
                fetchLog,
                dumpState,
                now,
                ticks == null ? 1 : ticks,
                mmdb,
                timeout,
                redis,
                database);
    }

    /** A file's JSON; a missing or malformed file is a sentence naming it. */
    static JsonNode jsonFile(String option, Path file) {
        try {
            return Json.parse(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    option
                            + " "
                            + file
                            + " cannot be read as JSON ("
                            + (e instanceof java.nio.file.NoSuchFileException
                                    ? "no such file"
                                    : firstLine(e))
                            + ").");
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static PluginArgs last(List<PluginArgs> plugins, String option) {
        if (plugins.isEmpty()) {
            throw new IllegalArgumentException(option + " must follow a --plugin.");
        }
        return plugins.get(plugins.size() - 1);
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                option + " takes a whole number above 0, not '" + value + "'.");
    }

    private static Duration seconds(String option, String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0) {
                return Duration.ofMillis((long) (seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                option + " takes a number of seconds above 0, not '" + value + "'.");
    }

    /** An ISO-8601 instant ({@code 2024-01-01T00:00:00Z}) or a UTC date and time without zone. */
    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(value).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException(
                        "--now takes an ISO date and time such as 2024-01-01T12:00:00Z, not '"
                                + value
                                + "'.");
            }
        }
    }
}
