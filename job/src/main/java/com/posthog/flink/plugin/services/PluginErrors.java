package com.posthog.flink.plugin.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A plugin config's error and state in Postgres (spec §1.5, §2.8): the JSON the original's {@code
 * processError} wrote to {@code posthog_pluginconfig.error}, which the PostHog app shows, and the
 * updates that clear it, disable a config and record a plugin's capabilities.
 *
 * <p>The plugin log entry that goes with an error (source PLUGIN, type ERROR, the error's message
 * and time) is the caller's, through its log sink.
 */
public final class PluginErrors {

    /** JavaScript's {@code Date.toISOString()}: always milliseconds, always {@code Z}. */
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private PluginErrors() {}

    /** The error JSON of a string error: {@code {message, time}}. */
    public static ObjectNode errorJson(String message, long timeMillis) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("message", message);
        error.put("time", isoTime(timeMillis));
        return error;
    }

    /**
     * The error JSON of an error object: {@code {message, time, name, stack, event}}. As {@code
     * JSON.stringify} left out undefined values, a null {@code name}, {@code stack} or {@code
     * event} is left out.
     *
     * @param event the event being processed, or null
     */
    public static ObjectNode errorJson(
            String name, String message, String stack, JsonNode event, long timeMillis) {
        ObjectNode error = errorJson(message, timeMillis);
        if (name != null) {
            error.put("name", name);
        }
        if (stack != null) {
            error.put("stack", stack);
        }
        if (event != null) {
            error.set("event", event);
        }
        return error;
    }

    /** {@code new Date(timeMillis).toISOString()}. */
    public static String isoTime(long timeMillis) {
        return ISO.format(Instant.ofEpochMilli(timeMillis));
    }

    /** Overwrites the config's error. */
    public static void setError(PostgresClient postgres, long pluginConfigId, JsonNode error)
            throws SQLException {
        update(
                postgres,
                "UPDATE posthog_pluginconfig SET error = ?::jsonb WHERE id = ?",
                Json.write(error),
                pluginConfigId);
    }

    /**
     * Clears the config's error after a successful load, only if one is set (the original avoided
     * the write otherwise).
     *
     * @return whether an error was cleared
     */
    public static boolean clearError(PostgresClient postgres, long pluginConfigId)
            throws SQLException {
        return update(
                        postgres,
                        "UPDATE posthog_pluginconfig SET error = NULL WHERE id = ? AND error IS NOT NULL",
                        pluginConfigId)
                > 0;
    }

    /**
     * Disables a config that failed to load too many times.
     *
     * @return whether the config was enabled until now
     */
    public static boolean disable(PostgresClient postgres, long pluginConfigId)
            throws SQLException {
        return update(
                        postgres,
                        "UPDATE posthog_pluginconfig SET enabled = 'f' WHERE id = ? AND enabled = 't'",
                        pluginConfigId)
                > 0;
    }

    /**
     * Records a plugin's capabilities ({@code {methods, scheduled_tasks, jobs}}), only when they
     * differ from the stored ones; {@code jsonb} equality is the deep equality the original used.
     *
     * @return whether they were written
     */
    public static boolean setCapabilities(
            PostgresClient postgres, long pluginId, JsonNode capabilities) throws SQLException {
        String json = Json.write(capabilities);
        return update(
                        postgres,
                        "UPDATE posthog_plugin SET capabilities = ?::jsonb"
                                + " WHERE id = ? AND capabilities IS DISTINCT FROM ?::jsonb",
                        json,
                        pluginId,
                        json)
                > 0;
    }

    /**
     * Records a plugin's metrics ({@code name → sum|max|min}, lower-cased; spec §2.7) when they
     * differ from the stored ones; a version without metrics stores {@code {}}.
     *
     * @return whether they were written
     */
    public static boolean setMetrics(
            PostgresClient postgres, long pluginId, java.util.Map<String, String> metrics)
            throws SQLException {
        String json = Json.write(Json.MAPPER.valueToTree(metrics));
        return update(
                        postgres,
                        "UPDATE posthog_plugin SET metrics = ?::jsonb"
                                + " WHERE id = ? AND metrics IS DISTINCT FROM ?::jsonb",
                        json,
                        pluginId,
                        json)
                > 0;
    }

    /**
     * The job the PostHog app offers on the config page of every plugin with {@code exportEvents}.
     */
    public static final String HISTORICAL_EXPORT_JOB = "Export historical events";

    private static final String HISTORICAL_EXPORT_DEFINITION =
            "{\"payload\": {\"dateFrom\": {\"type\": \"date\", \"title\": \"Export start date\"},"
                    + " \"dateTo\": {\"type\": \"date\", \"title\": \"Export end date\"}}}";

    /**
     * Adds {@link #HISTORICAL_EXPORT_JOB} to {@code posthog_plugin.public_jobs} unless the key is
     * there already (spec §2.6), so that the app shows it.
     *
     * @return whether it was added
     */
    public static boolean addHistoricalExportJob(PostgresClient postgres, long pluginId)
            throws SQLException {
        return update(
                        postgres,
                        "UPDATE posthog_plugin SET public_jobs = COALESCE(public_jobs, '{}'::jsonb)"
                                + " || jsonb_build_object(?::text, ?::jsonb)"
                                + " WHERE id = ? AND (public_jobs -> ?::text) IS NULL",
                        HISTORICAL_EXPORT_JOB,
                        HISTORICAL_EXPORT_DEFINITION,
                        pluginId,
                        HISTORICAL_EXPORT_JOB)
                > 0;
    }

    private static int update(PostgresClient postgres, String sql, Object... parameters)
            throws SQLException {
        return postgres.execute(
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        for (int i = 0; i < parameters.length; i++) {
                            statement.setObject(i + 1, parameters[i]);
                        }
                        return statement.executeUpdate();
                    }
                });
    }
}
