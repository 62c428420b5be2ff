package com.posthog.flink.event;

/** A {@code $snapshot} event as a session recording row (spec §3.8). Times in epoch ms. */
public class SessionRecording {

    public String uuid;
    public long teamId;
    public String distinctId;
    public String sessionId;

    /** {@code JSON.stringify(properties.$snapshot_data)}. */
    public String snapshotData;

    public long timestamp;
    public String rawPayload;
    public long kafkaOffset;

    public SessionRecording() {}
}
