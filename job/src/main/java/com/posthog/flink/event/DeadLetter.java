package com.posthog.flink.event;

/**
 * A message or event that cannot be ingested because of its own content, with the reason (spec
 * §3.9, CONTRACTS.md "Dead letters"). Fields that cannot be known are null.
 */
public class DeadLetter {

    public static final String PARSE_LOCATION = "plugin_server_parse_message";
    public static final String INGEST_LOCATION = "plugin_server_ingest_event";
    public static final String SINK_LOCATION = "plugin_server_sink";
    public static final String CELERY_LOCATION = "plugin_server_celery_task";

    /** Derived from (error_location, raw_payload), so a replay lands on the same row. */
    public String id;

    public String eventUuid;
    public String event;
    public String properties;
    public String distinctId;
    public Long teamId;
    public String elementsChain;
    public Long createdAt;
    public String ip;
    public String siteUrl;
    public Long now;
    public String rawPayload;
    public long errorTimestamp;
    public String errorLocation;
    public String error;
    public long kafkaOffset;

    public DeadLetter() {}

    @Override
    public String toString() {
        return "DeadLetter{" + errorLocation + ": " + error + "}";
    }
}
