package com.posthog.flink.sink;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.Json;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a dead letter straight to its destinations, for rows a sink's database refused (a sink has
 * no side output). Synchronous: the letter is stored before the sink's checkpoint completes.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final ClickHouseTableWriter<DeadLetter> clickHouse;

    private DeadLetterPublisher(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            ClickHouseTableWriter<DeadLetter> clickHouse) {
        this.producer = producer;
        this.topic = topic;
        this.clickHouse = clickHouse;
    }

    /**
     * The destinations of CONTRACTS.md: Kafka always, ClickHouse too in the ClickHouse pipeline.
     */
    public static Factory factory(Settings settings) {
        return () -> {
            Properties properties = KafkaProperties.producer(settings);
            KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            properties, new ByteArraySerializer(), new ByteArraySerializer());
            ClickHouseTableWriter<DeadLetter> clickHouse =
                    settings.bool(PluginServerOptions.KAFKA_ENABLED)
                            ? new ClickHouseTableWriter<>(
                                    ClickHouseClient.fromSettings(settings),
                                    Sinks.DEAD_LETTER_TABLE,
                                    ClickHouseRows::deadLetterRow)
                            : null;
            return new DeadLetterPublisher(
                    producer,
                    settings.string(PluginServerOptions.KAFKA_DEAD_LETTER_TOPIC),
                    clickHouse);
        };
    }

    public void publish(DeadLetter letter) throws IOException {
        try {
            byte[] value =
                    Json.write(ClickHouseRows.deadLetter(letter)).getBytes(StandardCharsets.UTF_8);
            producer.send(
                            new ProducerRecord<>(
                                    topic, letter.id.getBytes(StandardCharsets.UTF_8), value))
                    .get();
            if (clickHouse != null) {
                clickHouse.write(List.of(letter));
            }
        } catch (Exception e) {
            throw new IOException("Could not store a dead letter: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
        if (clickHouse != null) {
            clickHouse.close();
        }
    }

    /** Serializable recipe, opened on the task manager. */
    public interface Factory extends Serializable {
        DeadLetterPublisher create() throws Exception;
    }
}
