package com.posthog.flink.event;

/** A row of ClickHouse {@code groups}, from a {@code $groupidentify} event (spec §3.10). */
public class GroupRow {

    public int groupTypeIndex;
    public String groupKey;
    public long teamId;

    /** {@code $group_set}, a full overwrite, as JSON. */
    public String groupProperties;

    public long createdAt;

    public GroupRow() {}

    public GroupRow(
            int groupTypeIndex,
            String groupKey,
            long teamId,
            String groupProperties,
            long createdAt) {
        this.groupTypeIndex = groupTypeIndex;
        this.groupKey = groupKey;
        this.teamId = teamId;
        this.groupProperties = groupProperties;
        this.createdAt = createdAt;
    }
}
