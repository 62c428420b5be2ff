package com.posthog.flink.plugin.loading;

import com.posthog.flink.plugin.runtime.PluginServices;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin configs in force after one load (spec §1.1): plugins and configs by id, each team's
 * configs in {@code order}, and each config's attachments.
 *
 * <p>Immutable and made of plain serializable rows, so one load can be broadcast to every subtask
 * and compared with the previous one.
 */
public final class PluginConfigs implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PluginConfigs.class);

    /** Ascending {@code order}; ties by id, so every subtask runs a team's chain the same way. */
    private static final Comparator<PluginConfigRow> IN_ORDER =
            Comparator.comparingInt(PluginConfigRow::order).thenComparingLong(PluginConfigRow::id);

    private final Map<Long, PluginRow> plugins;
    private final Map<Long, PluginConfigRow> configs;
    private final Map<Long, List<PluginConfigRow>> configsByTeam;
    private final Map<Long, List<AttachmentRow>> attachmentsByConfig;

    private PluginConfigs(
            Map<Long, PluginRow> plugins,
            Map<Long, PluginConfigRow> configs,
            Map<Long, List<PluginConfigRow>> configsByTeam,
            Map<Long, List<AttachmentRow>> attachmentsByConfig) {
        this.plugins = Collections.unmodifiableMap(plugins);
        this.configs = Collections.unmodifiableMap(configs);
        this.configsByTeam = Collections.unmodifiableMap(configsByTeam);
        this.attachmentsByConfig = Collections.unmodifiableMap(attachmentsByConfig);
    }

    /**
     * Builds the maps as the original did: a config whose plugin is missing is skipped; a config
     * without a team is kept by id but left out of the per-team lists.
     */
    public static PluginConfigs of(
            List<PluginRow> pluginRows,
            List<PluginConfigRow> configRows,
            List<AttachmentRow> attachmentRows) {
        Map<Long, PluginRow> plugins = new LinkedHashMap<>();
        pluginRows.forEach(plugin -> plugins.put(plugin.id(), plugin));

        Map<Long, PluginConfigRow> configs = new LinkedHashMap<>();
        Map<Long, List<PluginConfigRow>> byTeam = new HashMap<>();
        for (PluginConfigRow config : configRows) {
            if (!plugins.containsKey(config.pluginId())) {
                continue;
            }
            configs.put(config.id(), config);
            if (config.teamId() == null) {
                LOG.warn("Plugin config {} does not have a team, it is not run", config.id());
                continue;
            }
            byTeam.computeIfAbsent(config.teamId(), team -> new ArrayList<>()).add(config);
        }
        byTeam.replaceAll((team, list) -> list.stream().sorted(IN_ORDER).toList());

        Map<Long, List<AttachmentRow>> attachments = new HashMap<>();
        List<AttachmentRow> byId =
                attachmentRows.stream()
                        .sorted(Comparator.comparingLong(AttachmentRow::id))
                        .toList();
        for (AttachmentRow attachment : byId) {
            attachments
                    .computeIfAbsent(attachment.pluginConfigId(), config -> new ArrayList<>())
                    .add(attachment);
        }
        return new PluginConfigs(plugins, configs, byTeam, attachments);
    }

    public Map<Long, PluginRow> plugins() {
        return plugins;
    }

    /** Every config in force whose plugin was found, teamless ones included. */
    public Map<Long, PluginConfigRow> configs() {
        return configs;
    }

    /** The teams that have configs, each with its configs in ascending {@code order}. */
    public Map<Long, List<PluginConfigRow>> configsByTeam() {
        return configsByTeam;
    }

    /** A team's configs in ascending {@code order}; empty for a team without plugins. */
    public List<PluginConfigRow> configsOfTeam(long teamId) {
        return configsByTeam.getOrDefault(teamId, List.of());
    }

    /**
     * {@code meta.attachments} of a config, by key (of two rows with one key, the later id wins).
     */
    public Map<String, PluginServices.Attachment> attachments(long pluginConfigId) {
        Map<String, PluginServices.Attachment> byKey = new LinkedHashMap<>();
        for (AttachmentRow row : attachmentsByConfig.getOrDefault(pluginConfigId, List.of())) {
            byKey.put(
                    row.key(),
                    new PluginServices.Attachment(
                            row.contentType(), row.fileName(), row.contents()));
        }
        return byKey;
    }

    /** The attachment rows of a config, to tell whether they changed between two loads. */
    public List<AttachmentRow> attachmentRows(long pluginConfigId) {
        return attachmentsByConfig.getOrDefault(pluginConfigId, List.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PluginConfigs that
                && plugins.equals(that.plugins)
                && configs.equals(that.configs)
                && attachmentsByConfig.equals(that.attachmentsByConfig);
    }

    @Override
    public int hashCode() {
        return configs.hashCode();
    }
}
