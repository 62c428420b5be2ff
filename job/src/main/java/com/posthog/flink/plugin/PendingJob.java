package com.posthog.flink.plugin;

/**
 * A plugin job waiting in keyed state for its timer ({@code meta.jobs}, spec §4.2): checkpointed,
 * so it survives crashes and savepoints.
 */
public class PendingJob {

    /**
     * The job name under which a failed export batch waits for its retry; the payload is the batch.
     */
    public static final String EXPORT = "$exportEvents";

    /**
     * Retries of a job or export that throws {@code RetryError}: n = 1…15 after 3·2ⁿ s
     * (CONTRACTS.md).
     */
    public static final int MAX_RETRIES = 15;

    static final long FIRST_RETRY_MILLIS = 3_000;

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

    /**
     * After a {@code RetryError}: the next retry, n, is due at {@code now} + 3·2ⁿ s.
     *
     * @return false when the retries are used up (the job is given up)
     */
    public boolean retryLater(long now) {
        if (retries >= MAX_RETRIES) {
            return false;
        }
        retries++;
        runAt = now + (FIRST_RETRY_MILLIS << retries);
        return true;
    }
}
