package com.posthog.flink.event;

/** A Kafka message value with its offset, as the source hands it to the parser. */
public class KafkaMessage {

    public String value;
    public long offset;

    public KafkaMessage() {}

    public KafkaMessage(String value, long offset) {
        this.value = value;
        this.offset = offset;
    }
}
