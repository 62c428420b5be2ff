package com.posthog.flink.plugin.services;

import com.posthog.flink.db.PostgresClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** {@code meta.storage} in {@code posthog_pluginstorage}, where the PostHog app also reads it. */
public final class PostgresPluginStorage implements PluginStorage {

    private final PostgresClient postgres;

    public PostgresPluginStorage(PostgresClient postgres) {
        this.postgres = postgres;
    }

    @Override
    public String get(long pluginConfigId, String key) throws SQLException {
        return postgres.execute(
                connection -> {
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT value FROM posthog_pluginstorage"
                                            + " WHERE plugin_config_id = ? AND key = ? LIMIT 1")) {
                        statement.setLong(1, pluginConfigId);
                        statement.setString(2, key);
                        try (ResultSet row = statement.executeQuery()) {
                            return row.next() ? row.getString(1) : null;
                        }
                    }
                });
    }

    @Override
    public void set(long pluginConfigId, String key, String json) throws SQLException {
        update(
                "INSERT INTO posthog_pluginstorage (plugin_config_id, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (plugin_config_id, key) DO UPDATE SET value = EXCLUDED.value",
                pluginConfigId,
                key,
                json);
    }

    @Override
    public void del(long pluginConfigId, String key) throws SQLException {
        update(
                "DELETE FROM posthog_pluginstorage WHERE plugin_config_id = ? AND key = ?",
                pluginConfigId,
                key,
                null);
    }

    @Override
    public Map<String, String> entries(long pluginConfigId) throws SQLException {
        return postgres.execute(
                connection -> {
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT key, value FROM posthog_pluginstorage WHERE plugin_config_id = ?")) {
                        statement.setLong(1, pluginConfigId);
                        Map<String, String> entries = new TreeMap<>();
                        try (ResultSet rows = statement.executeQuery()) {
                            while (rows.next()) {
                                entries.put(rows.getString(1), rows.getString(2));
                            }
                        }
                        return entries;
                    }
                });
    }

    private void update(String sql, long pluginConfigId, String key, String value)
            throws SQLException {
        postgres.execute(
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        statement.setLong(1, pluginConfigId);
                        statement.setString(2, key);
                        if (value != null) {
                            statement.setString(3, value);
                        }
                        return statement.executeUpdate();
                    }
                });
    }
}
