package com.posthog.flink.pipeline;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.sink.KafkaProperties;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's inputs: the Kafka topic, or a file of its messages ({@code --input-file}). */
public final class Inputs {

    private Inputs() {}

    /**
     * A tick every {@code intervalMillis} (its index), at parallelism 1: what drives the control
     * stream, the Celery queue polls and the health ping.
     */
    public static DataStreamSource<Long> ticks(
            StreamExecutionEnvironment env, long intervalMillis, String name, String uid) {
        DataGeneratorSource<Long> ticks =
                new DataGeneratorSource<>(
                        index -> index,
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(1000.0 / intervalMillis),
                        Types.LONG);
        DataStreamSource<Long> source =
                env.fromSource(ticks, WatermarkStrategy.noWatermarks(), name);
        source.uid(uid).setParallelism(1);
        return source;
    }

    /**
     * {@code KAFKA_CONSUMPTION_TOPIC} in group {@code KAFKA_CONSUMER_GROUP}, from the committed
     * offsets, else the earliest. Offsets are committed on checkpoints.
     */
    public static DataStream<KafkaMessage> kafka(
            StreamExecutionEnvironment env, Settings settings) {
        KafkaSource<KafkaMessage> source =
                KafkaSource.<KafkaMessage>builder()
                        .setProperties(KafkaProperties.common(settings))
                        .setTopics(settings.string(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC))
                        .setGroupId(settings.string(PluginServerOptions.KAFKA_CONSUMER_GROUP))
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setProperty("partition.discovery.interval.ms", "60000")
                        .setProperty("isolation.level", "read_committed")
                        .setDeserializer(new MessageDeserializer())
                        .build();
        return env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "Kafka " + settings.string(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC))
                .uid(Uids.KAFKA_SOURCE);
    }

    /** Each non-blank line of the file is one message value. */
    public static DataStream<KafkaMessage> file(StreamExecutionEnvironment env, String file) {
        FileSource<String> source =
                FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(file)).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "File " + file)
                .uid(Uids.FILE_SOURCE)
                .filter(line -> !line.isBlank())
                .name("Skip blank lines")
                .uid(Uids.FILE_SOURCE + "-skip-blank")
                .map(line -> new KafkaMessage(line, -1))
                .name("As messages")
                .uid(Uids.FILE_SOURCE + "-as-messages");
    }

    /** Message values as UTF-8 text with their offsets; an empty value parses as malformed. */
    static final class MessageDeserializer
            implements KafkaRecordDeserializationSchema<KafkaMessage> {

        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<KafkaMessage> out) {
            String value =
                    record.value() == null
                            ? ""
                            : new String(record.value(), StandardCharsets.UTF_8);
            out.collect(new KafkaMessage(value, record.offset()));
        }

        @Override
        public TypeInformation<KafkaMessage> getProducedType() {
            return TypeInformation.of(KafkaMessage.class);
        }
    }
}
