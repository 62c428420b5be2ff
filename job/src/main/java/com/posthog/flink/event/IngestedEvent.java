package com.posthog.flink.event;

/**
 * An event ready for the event tables: ClickHouse {@code events} or Postgres {@code posthog_event}.
 * Times are epoch milliseconds, UTC.
 */
public class IngestedEvent {

    public String uuid;
    public String event;

    /** The stored properties, as JSON. */
    public String properties;

    public long timestamp;
    public long teamId;
    public String distinctId;
    public String elementsChain;

    /** The extracted elements as JSON ({@code posthog_event.elements}), {@code []} if none. */
    public String elementsJson;

    /** The element group's hash ({@code posthog_event.elements_hash}), {@code ""} if none. */
    public String elementsHash;

    public long createdAt;
    public String siteUrl;

    /** The Kafka message as received, for a dead letter should a database refuse the row. */
    public String rawPayload;

    public long kafkaOffset;

    public IngestedEvent() {}

    @Override
    public String toString() {
        return "IngestedEvent{" + uuid + " " + event + " team " + teamId + "}";
    }
}
