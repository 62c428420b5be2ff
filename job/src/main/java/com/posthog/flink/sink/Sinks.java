package com.posthog.flink.sink;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DeadLetters;
import com.posthog.flink.event.DistinctIdRow;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.PersonRow;
import com.posthog.flink.event.SessionRecording;
import com.posthog.flink.pipeline.SinkAppliers;
import com.posthog.flink.pipeline.Uids;
import com.posthog.flink.plugin.services.PluginLogEntries;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.plugin.services.PostgresPluginLogWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The production outputs, by pipeline mode (CONTRACTS.md). {@code KAFKA_ENABLED=true}: events,
 * persons, distinct ids and recordings to ClickHouse; {@code false}: events and recordings to
 * Postgres (persons are written to Postgres by the ingestion stage in both modes). Dead letters go
 * to the Kafka dead-letter topic, and to ClickHouse {@code events_dead_letter_queue} in the
 * ClickHouse pipeline.
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

    /**
     * A batching sink; {@code rejected} turns a refused row into a dead letter, or is null where a
     * refusal is only logged (rows whose source event is stored elsewhere already).
     */
    private <T> void sink(
            DataStream<T> stream,
            String name,
            String uid,
            TableWriter.Factory<T> writer,
            RejectedRows<T> rejected) {
        stream.sinkTo(
                        new BatchingSink<>(
                                name,
                                writer,
                                rejected,
                                rejected == null ? null : DeadLetterPublisher.factory(settings),
                                Math.max(
                                        1,
                                        settings.integer(
                                                PluginServerOptions.KAFKA_PRODUCER_MAX_QUEUE_SIZE)),
                                Math.max(
                                        1,
                                        (long)
                                                settings.number(
                                                        PluginServerOptions
                                                                .KAFKA_FLUSH_FREQUENCY_MS))))
                .name(name)
                .uid(uid);
    }

    @Override
    public void events(DataStream<IngestedEvent> events) {
        RejectedRows<IngestedEvent> rejected =
                (row, reason, now) ->
                        DeadLetters.sinkFailure(row.rawPayload, row.kafkaOffset, reason, now);
        if (clickHousePipeline()) {
            sink(
                    events,
                    "ClickHouse events",
                    Uids.CLICKHOUSE_EVENTS_SINK,
                    ClickHouseTableWriter.factory(settings, EVENTS_TABLE, ClickHouseRows::event),
                    rejected);
        } else {
            sink(
                    events,
                    "Postgres posthog_event",
                    Uids.POSTGRES_EVENTS_SINK,
                    PostgresTableWriter.factory(
                            settings, PostgresRows.EVENT_INSERT, PostgresRows.EVENT),
                    rejected);
        }
    }

    @Override
    public void recordings(DataStream<SessionRecording> recordings) {
        RejectedRows<SessionRecording> rejected =
                (row, reason, now) ->
                        DeadLetters.sinkFailure(row.rawPayload, row.kafkaOffset, reason, now);
        if (clickHousePipeline()) {
            sink(
                    recordings,
                    "ClickHouse session_recording_events",
                    Uids.CLICKHOUSE_RECORDINGS_SINK,
                    ClickHouseTableWriter.factory(
                            settings, "session_recording_events", ClickHouseRows::recording),
                    rejected);
        } else {
            sink(
                    recordings,
                    "Postgres posthog_sessionrecordingevent",
                    Uids.POSTGRES_RECORDINGS_SINK,
                    PostgresTableWriter.factory(
                            settings, PostgresRows.RECORDING_INSERT, PostgresRows.RECORDING),
                    rejected);
        }
    }

    @Override
    public void persons(DataStream<PersonRow> persons) {
        if (clickHousePipeline()) {
            sink(
                    persons,
                    "ClickHouse person",
                    Uids.CLICKHOUSE_PERSON_SINK,
                    ClickHouseTableWriter.factory(settings, "person", ClickHouseRows::person),
                    null);
        }
    }

    @Override
    public void distinctIds(DataStream<DistinctIdRow> distinctIds) {
        if (clickHousePipeline()) {
            sink(
                    distinctIds,
                    "ClickHouse person_distinct_id",
                    Uids.CLICKHOUSE_DISTINCT_ID_SINK,
                    ClickHouseTableWriter.factory(
                            settings, "person_distinct_id", ClickHouseRows::distinctId),
                    null);
        }
    }

    @Override
    public void groups(DataStream<GroupRow> groups) {
        if (clickHousePipeline()) {
            sink(
                    groups,
                    "ClickHouse groups",
                    Uids.CLICKHOUSE_GROUPS_SINK,
                    ClickHouseTableWriter.factory(settings, "groups", ClickHouseRows::group),
                    null);
        }
    }

    @Override
    public void pluginLogs(DataStream<PluginLogEntry> entries) {
        if (clickHousePipeline()) {
            sink(
                    entries,
                    "ClickHouse plugin_log_entries",
                    Uids.CLICKHOUSE_PLUGIN_LOGS_SINK,
                    ClickHouseTableWriter.factory(
                            settings, "plugin_log_entries", PluginLogEntries::clickHouseRow),
                    null);
        } else {
            sink(
                    entries,
                    "Postgres posthog_pluginlogentry",
                    Uids.POSTGRES_PLUGIN_LOGS_SINK,
                    () -> {
                        PostgresClient postgres = new PostgresClient(settings.postgres());
                        PostgresPluginLogWriter writer = new PostgresPluginLogWriter(postgres);
                        return new TableWriter<PluginLogEntry>() {
                            @Override
                            public void write(List<PluginLogEntry> rows) throws Exception {
                                writer.write(rows);
                            }

                            @Override
                            public void close() {
                                postgres.close();
                            }
                        };
                    },
                    null);
        }
    }

    @Override
    public void captured(DataStream<KafkaMessage> messages) {
        String topic = settings.string(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC);
        kafka(messages, topic, Uids.KAFKA_CAPTURED_SINK, message -> null, message -> message.value);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        String topic = settings.string(PluginServerOptions.KAFKA_DEAD_LETTER_TOPIC);
        kafka(
                deadLetters,
                topic,
                Uids.KAFKA_DEAD_LETTER_SINK,
                letter -> letter.id,
                letter -> Json.write(ClickHouseRows.deadLetter(letter)));
        if (clickHousePipeline()) {
            sink(
                    deadLetters,
                    "ClickHouse events_dead_letter_queue",
                    Uids.CLICKHOUSE_DEAD_LETTER_SINK,
                    ClickHouseTableWriter.factory(
                            settings, DEAD_LETTER_TABLE, ClickHouseRows::deadLetterRow),
                    null);
        }
    }

    /** A text field of a record, for Kafka keys and values. */
    private interface Text<T> extends java.io.Serializable {
        String of(T element);
    }

    /** An at-least-once Kafka sink; a null key leaves the partition to the producer. */
    private <T> void kafka(
            DataStream<T> stream, String topic, String uid, Text<T> key, Text<T> value) {
        KafkaRecordSerializationSchema<T> serializer =
                (element, context, timestamp) -> {
                    String k = key.of(element);
                    return new ProducerRecord<>(
                            topic,
                            k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                            value.of(element).getBytes(StandardCharsets.UTF_8));
                };
        stream.sinkTo(
                        KafkaSink.<T>builder()
                                .setKafkaProducerConfig(KafkaProperties.producer(settings))
                                .setRecordSerializer(serializer)
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build())
                .name("Kafka " + topic)
                .uid(uid);
    }
}
