package com.posthog.flink.plugin.loading;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A row of {@code posthog_plugin}, with the columns loading and bookkeeping need (spec §1.1).
 *
 * <p>{@code equals} compares the archive by content, so that two loads of an unchanged plugin are
 * equal and a reload can tell which plugins changed.
 *
 * @param organizationId the owning organization's uuid
 * @param pluginType {@code local}, {@code custom}, {@code repository} or {@code source}
 * @param url {@code file:…} for local plugins
 * @param archive the zip or tgz of the plugin, or null
 * @param source the code of a {@code source} plugin, or null
 * @param capabilitiesJson {@code posthog_plugin.capabilities} as JSON text
 */
public record PluginRow(
        long id,
        String organizationId,
        String pluginType,
        boolean isGlobal,
        String name,
        String url,
        String tag,
        byte[] archive,
        String source,
        String capabilitiesJson)
        implements Serializable {

    @Override
    public boolean equals(Object other) {
        return other instanceof PluginRow that
                && id == that.id
                && isGlobal == that.isGlobal
                && Objects.equals(organizationId, that.organizationId)
                && Objects.equals(pluginType, that.pluginType)
                && Objects.equals(name, that.name)
                && Objects.equals(url, that.url)
                && Objects.equals(tag, that.tag)
                && Arrays.equals(archive, that.archive)
                && Objects.equals(source, that.source)
                && Objects.equals(capabilitiesJson, that.capabilitiesJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, organizationId, name, url, tag, source) * 31
                + Arrays.hashCode(archive);
    }

    @Override
    public String toString() {
        return "PluginRow[id=" + id + ", name=" + name + ", pluginType=" + pluginType + "]";
    }
}
