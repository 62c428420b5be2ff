package com.posthog.flink.plugin;

/**
 * A plugin job waiting in keyed state for its timer ({@code meta.jobs}, spec §4.2): checkpointed,
 * so it survives crashes and savepoints.
 */
public class PendingJob {

    public String id;
    public long configId;
    public String name;

    /** The payload as JSON, or null for {@code undefined}. */
    public String payloadJson;

    public long runAt;

    /** How often it threw {@code RetryError} so far. */
    public int retries;

    public PendingJob() {}

    public PendingJob(String id, long configId, String name, String payloadJson, long runAt) {
        this.id = id;
        this.configId = configId;
        this.name = name;
        this.payloadJson = payloadJson;
        this.runAt = runAt;
    }
}
