package com.posthog.flink.event;

/** A row of ClickHouse {@code person}: a person's state after a change, or its deletion. */
public class PersonRow {

    public String uuid;
    public long teamId;
    public long createdAt;
    public String properties;
    public boolean isIdentified;
    public boolean isDeleted;

    public PersonRow() {}

    public PersonRow(
            String uuid,
            long teamId,
            long createdAt,
            String properties,
            boolean isIdentified,
            boolean isDeleted) {
        this.uuid = uuid;
        this.teamId = teamId;
        this.createdAt = createdAt;
        this.properties = properties;
        this.isIdentified = isIdentified;
        this.isDeleted = isDeleted;
    }
}
