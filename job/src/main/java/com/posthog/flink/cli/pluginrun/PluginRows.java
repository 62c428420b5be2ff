package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.loading.AttachmentRow;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.loading.PluginSources;
import com.posthog.flink.plugin.runtime.PluginCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --plugin} arguments as the rows the server would read (CONTRACTS.md): plugin number k
 * (from 1) is plugin id k and plugin config id k of team 2, in the given order.
 */
final class PluginRows {

    static final long TEAM = 2;
    static final String ORGANIZATION = "00000000-0000-0000-0000-000000000000";

    private PluginRows() {}

    /**
     * @throws Exception when a plugin or an attachment cannot be read
     */
    static PluginConfigs of(List<Arguments.PluginArgs> plugins) throws Exception {
        List<PluginRow> rows = new ArrayList<>();
        List<PluginConfigRow> configRows = new ArrayList<>();
        List<AttachmentRow> attachmentRows = new ArrayList<>();
        for (int k = 1; k <= plugins.size(); k++) {
            Arguments.PluginArgs plugin = plugins.get(k - 1);
            Path path = Path.of(plugin.path()).toAbsolutePath();
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("No plugin at " + path);
            }
            boolean folder = Files.isDirectory(path);
            byte[] archive = folder ? null : Files.readAllBytes(path);
            String url = folder ? "file:" + path : null;
            String type = folder ? "local" : "custom";
            String name = path.getFileName().toString();
            name = nameOf(PluginSources.codeOf(row(k, type, name, url, archive), ""), name);
            rows.add(row(k, type, name, url, archive));
            configRows.add(
                    new PluginConfigRow(k, TEAM, k, true, k, Json.write(plugin.config()), null));
            for (String[] attachment : plugin.attachments()) {
                attachmentRows.add(attachment(k, attachmentRows.size() + 1, attachment));
            }
        }
        return PluginConfigs.of(rows, configRows, attachmentRows);
    }

    /** {@code "<plugin.json name> (k)"}, as in {@code $plugins_*}. */
    static String label(PluginConfigs configs, long configId) {
        PluginConfigRow config = configs.configs().get(configId);
        return configs.plugins().get(config.pluginId()).name() + " (" + configId + ")";
    }

    private static PluginRow row(long id, String type, String name, String url, byte[] archive) {
        return new PluginRow(id, ORGANIZATION, type, false, name, url, null, archive, null, null);
    }

    /** {@code KEY=FILE[:TYPE]}; the {@code :TYPE} suffix counts only when it contains {@code /}. */
    private static AttachmentRow attachment(long configId, long id, String[] keyAndFile)
            throws Exception {
        String file = keyAndFile[1];
        String type = "application/octet-stream";
        int colon = file.lastIndexOf(':');
        if (colon > 0 && file.substring(colon + 1).contains("/")) {
            type = file.substring(colon + 1);
            file = file.substring(0, colon);
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(
                    "--attachment " + keyAndFile[0] + ": no file " + path.toAbsolutePath());
        }
        return new AttachmentRow(
                id,
                TEAM,
                configId,
                keyAndFile[0],
                type,
                path.getFileName().toString(),
                Files.readAllBytes(path));
    }

    /** The {@code name} of {@code plugin.json}, or the fallback. */
    private static String nameOf(PluginCode code, String fallback) {
        try {
            String json = code.files().get("plugin.json");
            JsonNode name = json == null ? null : Json.parse(json).get("name");
            return name != null && name.isTextual() ? name.textValue() : fallback;
        } catch (Exception e) {
            return fallback;
        }
    }
}
