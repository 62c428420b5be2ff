package com.posthog.flink.plugin.loading;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A row of {@code posthog_pluginattachment}: a file a plugin config was given ({@code
 * meta.attachments[key]}).
 *
 * <p>{@code equals} compares the contents by value, so a reload can tell a changed attachment.
 */
public record AttachmentRow(
        long id,
        Long teamId,
        long pluginConfigId,
        String key,
        String contentType,
        String fileName,
        byte[] contents)
        implements Serializable {

    @Override
    public boolean equals(Object other) {
        return other instanceof AttachmentRow that
                && id == that.id
                && pluginConfigId == that.pluginConfigId
                && Objects.equals(teamId, that.teamId)
                && Objects.equals(key, that.key)
                && Objects.equals(contentType, that.contentType)
                && Objects.equals(fileName, that.fileName)
                && Arrays.equals(contents, that.contents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, pluginConfigId, key, fileName) * 31 + Arrays.hashCode(contents);
    }

    @Override
    public String toString() {
        return "AttachmentRow[id="
                + id
                + ", pluginConfigId="
                + pluginConfigId
                + ", key="
                + key
                + "]";
    }
}
