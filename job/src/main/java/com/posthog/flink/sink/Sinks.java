package com.posthog.flink.sink;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DeadLetters;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import com.posthog.flink.pipeline.SinkAppliers;
import com.posthog.flink.pipeline.Uids;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The production outputs, by pipeline mode (CONTRACTS.md): events to ClickHouse {@code events}
 * ({@code KAFKA_ENABLED=true}) or Postgres {@code posthog_event} ({@code false}); dead letters to
 * the Kafka dead-letter topic, and to ClickHouse {@code events_dead_letter_queue} in the ClickHouse
 * pipeline.
 */
public final class Sinks implements SinkAppliers {

    private static final long serialVersionUID = 1L;

    public static final String EVENTS_TABLE = "events";
    public static final String DEAD_LETTER_TABLE = "events_dead_letter_queue";

    private final Settings settings;

    public Sinks(Settings settings) {
        this.settings = settings;
    }

    private boolean clickHousePipeline() {
        return settings.bool(PluginServerOptions.KAFKA_ENABLED);
    }

    private int batchSize() {
        return Math.max(1, settings.integer(PluginServerOptions.KAFKA_PRODUCER_MAX_QUEUE_SIZE));
    }

    private long flushMillis() {
        return Math.max(1, (long) settings.number(PluginServerOptions.KAFKA_FLUSH_FREQUENCY_MS));
    }

    @Override
    public void events(DataStream<IngestedEvent> events) {
        RejectedRows<IngestedEvent> rejected =
                (row, reason, now) ->
                        DeadLetters.sinkFailure(row.rawPayload, row.kafkaOffset, reason, now);
        if (clickHousePipeline()) {
            events.sinkTo(
                            new BatchingSink<>(
                                    "ClickHouse events",
                                    ClickHouseTableWriter.factory(
                                            settings, EVENTS_TABLE, ClickHouseRows::event),
                                    rejected,
                                    DeadLetterPublisher.factory(settings),
                                    batchSize(),
                                    flushMillis()))
                    .name("ClickHouse events")
                    .uid(Uids.CLICKHOUSE_EVENTS_SINK);
        } else {
            events.sinkTo(
                            new BatchingSink<>(
                                    "Postgres posthog_event",
                                    PostgresEventWriter.factory(settings),
                                    rejected,
                                    DeadLetterPublisher.factory(settings),
                                    batchSize(),
                                    flushMillis()))
                    .name("Postgres posthog_event")
                    .uid(Uids.POSTGRES_EVENTS_SINK);
        }
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        String topic = settings.string(PluginServerOptions.KAFKA_DEAD_LETTER_TOPIC);
        KafkaRecordSerializationSchema<DeadLetter> serializer =
                (letter, context, timestamp) ->
                        new ProducerRecord<>(
                                topic,
                                letter.id.getBytes(StandardCharsets.UTF_8),
                                Json.write(ClickHouseRows.deadLetter(letter))
                                        .getBytes(StandardCharsets.UTF_8));
        deadLetters
                .sinkTo(
                        KafkaSink.<DeadLetter>builder()
                                .setKafkaProducerConfig(KafkaProperties.producer(settings))
                                .setRecordSerializer(serializer)
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build())
                .name("Kafka " + topic)
                .uid(Uids.KAFKA_DEAD_LETTER_SINK);
        if (clickHousePipeline()) {
            deadLetters
                    .sinkTo(
                            new BatchingSink<>(
                                    "ClickHouse events_dead_letter_queue",
                                    ClickHouseTableWriter.factory(
                                            settings,
                                            DEAD_LETTER_TABLE,
                                            ClickHouseRows::deadLetterRow),
                                    null,
                                    null,
                                    batchSize(),
                                    flushMillis()))
                    .name("ClickHouse events_dead_letter_queue")
                    .uid(Uids.CLICKHOUSE_DEAD_LETTER_SINK);
        }
    }
}
