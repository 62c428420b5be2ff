package com.posthog.flink.event;

import com.posthog.flink.plugin.PendingJob;
import java.util.Objects;

/**
 * One event on its way through the job: the message from {@code events_plugin_ingestion} after the
 * merge of spec §3.1 (the plugin event shape), with the raw message kept for dead letters.
 *
 * <p>A POJO that Flink serialises itself (no Kryo). The event body travels as JSON text so every
 * key a client or plugin sent survives unchanged.
 */
public class PipelineEvent {

    /** The key of the job: every operator after the parser is keyed by team. */
    public long teamId;

    /** The merged event, {@code {...outer, ...JSON.parse(data)}}, as JSON. */
    public String body;

    /** The Kafka message value exactly as received. */
    public String rawPayload;

    /** Offset of the message in its partition, or -1 when it came from elsewhere. */
    public long kafkaOffset;

    /** On a {@link #job} record, the job to start; null otherwise. */
    public PendingJob job;

    public PipelineEvent() {}

    /**
     * A control record for a team that has plugin configs: it carries no event, and lets the plugin
     * stage start the team's schedules even when the team sends no events.
     */
    public static PipelineEvent control(long teamId) {
        return new PipelineEvent(teamId, null, null, -1);
    }

    /**
     * A control record that asks the plugin stage to start a job of one of the team's plugin
     * configs now, as {@code runNow()} would: a job the PostHog app started (Celery {@code
     * plugin_job}, spec §3.1).
     */
    public static PipelineEvent job(long teamId, PendingJob job) {
        PipelineEvent record = control(teamId);
        record.job = job;
        return record;
    }

    /** Whether this is a {@link #control} (or {@link #job}) record rather than an event. */
    public boolean isControl() {
        return body == null;
    }

    public PipelineEvent(long teamId, String body, String rawPayload, long kafkaOffset) {
        this.teamId = teamId;
        this.body = body;
        this.rawPayload = rawPayload;
        this.kafkaOffset = kafkaOffset;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PipelineEvent)) {
            return false;
        }
        PipelineEvent that = (PipelineEvent) o;
        return teamId == that.teamId
                && kafkaOffset == that.kafkaOffset
                && Objects.equals(body, that.body)
                && Objects.equals(rawPayload, that.rawPayload)
                && Objects.equals(job, that.job);
    }

    @Override
    public int hashCode() {
        return Objects.hash(teamId, body, rawPayload, kafkaOffset);
    }

    @Override
    public String toString() {
        return "PipelineEvent{teamId=" + teamId + ", body=" + body + "}";
    }
}
