package com.posthog.flink.plugin.loading;

import com.posthog.flink.db.PostgresClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the plugin configs in force from Postgres with the original's three queries (spec §1.1): a
 * config is in force when it is enabled, its team's organization has {@code plugins_access_level >
 * 0}, and its plugin belongs to that organization or is global. {@code posthog_team.plugins_opt_in}
 * is ignored, as in the original.
 */
public final class PluginConfigsLoader {

    private static final String IN_FORCE =
            "FROM posthog_pluginconfig"
                    + " LEFT JOIN posthog_team ON posthog_team.id = posthog_pluginconfig.team_id"
                    + " LEFT JOIN posthog_organization"
                    + " ON posthog_organization.id = posthog_team.organization_id"
                    + " LEFT JOIN posthog_plugin ON posthog_plugin.id = posthog_pluginconfig.plugin_id"
                    + " WHERE (posthog_pluginconfig.enabled = 't'"
                    + " AND posthog_organization.plugins_access_level > 0"
                    + " AND (posthog_plugin.organization_id = posthog_organization.id"
                    + " OR posthog_plugin.is_global))";

    private static final String PLUGINS =
            "SELECT posthog_plugin.* FROM posthog_plugin WHERE id IN"
                    + " (SELECT posthog_pluginconfig.plugin_id "
                    + IN_FORCE
                    + " GROUP BY posthog_pluginconfig.plugin_id)";
    private static final String ATTACHMENTS =
            "SELECT posthog_pluginattachment.* FROM posthog_pluginattachment"
                    + " WHERE plugin_config_id IN (SELECT posthog_pluginconfig.id "
                    + IN_FORCE
                    + ")";
    private static final String CONFIGS = "SELECT posthog_pluginconfig.* " + IN_FORCE;

    private PluginConfigsLoader() {}

    public static PluginConfigs load(PostgresClient postgres) throws SQLException {
        return postgres.execute(
                connection ->
                        PluginConfigs.of(
                                query(connection, PLUGINS, PluginConfigsLoader::plugin),
                                query(connection, CONFIGS, PluginConfigsLoader::config),
                                query(connection, ATTACHMENTS, PluginConfigsLoader::attachment)));
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> List<T> query(Connection connection, String sql, RowReader<T> reader)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(reader.read(result));
            }
        }
        return rows;
    }

    private static PluginRow plugin(ResultSet row) throws SQLException {
        return new PluginRow(
                row.getLong("id"),
                row.getString("organization_id"),
                row.getString("plugin_type"),
                row.getBoolean("is_global"),
                row.getString("name"),
                row.getString("url"),
                row.getString("tag"),
                row.getBytes("archive"),
                row.getString("source"),
                row.getString("capabilities"));
    }

    private static PluginConfigRow config(ResultSet row) throws SQLException {
        return new PluginConfigRow(
                row.getLong("id"),
                nullableLong(row, "team_id"),
                row.getLong("plugin_id"),
                row.getBoolean("enabled"),
                row.getInt("order"),
                row.getString("config"),
                row.getString("error"));
    }

    private static AttachmentRow attachment(ResultSet row) throws SQLException {
        return new AttachmentRow(
                row.getLong("id"),
                nullableLong(row, "team_id"),
                row.getLong("plugin_config_id"),
                row.getString("key"),
                row.getString("content_type"),
                row.getString("file_name"),
                row.getBytes("contents"));
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
