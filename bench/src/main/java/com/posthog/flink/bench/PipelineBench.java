package com.posthog.flink.bench;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.Migrations;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.PluginServerJob;
import com.posthog.flink.sink.Sinks;
import com.posthog.flink.tools.SampleEvents;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code scripts/bench pipeline}: events per second through the whole pipeline (Kafka in,
 * ClickHouse out, parallelism 2, the same topology as the job), and in the same run the rate at
 * which a plain Kafka consumer reads the same topic: the ceiling the pipeline is measured against.
 */
public final class PipelineBench {

    private static final String DATABASE = "posthog_bench";

    public static void main(String[] args) throws Exception {
        double[] rates = measure(args.length > 0 ? Integer.parseInt(args[0]) : 100_000);
        System.out.printf(
                "bench pipeline: %.0f events/s, ratio %.3f to raw kafka consumer%n",
                rates[1], rates[1] / rates[0]);
    }

    /**
     * Produces {@code messages} sample events to a new topic, then measures a plain consumer and
     * the pipeline on it, printing as it goes.
     *
     * @return the plain consumer's messages per second, then the pipeline's events per second
     */
    static double[] measure(int messages) throws Exception {
        Map<String, String> env = System.getenv();
        String kafka = env.getOrDefault("KAFKA_HOSTS", "127.0.0.1:19092");
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench_events_" + id;

        Map<String, String> dynamic = new HashMap<>();
        dynamic.put(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC.key(), topic);
        dynamic.put(PluginServerOptions.KAFKA_DEAD_LETTER_TOPIC.key(), "bench_dead_letters_" + id);
        dynamic.put(PluginServerOptions.KAFKA_CONSUMER_GROUP.key(), "bench-" + id);
        dynamic.put(PluginServerOptions.CLICKHOUSE_DATABASE.key(), DATABASE);
        Settings settings = Settings.resolve(dynamic, env, new Configuration());

        Migrations.migrateClickHouse(settings.clickHouseEndpoint(), "default", "", DATABASE);
        try (ClickHouseClient clickHouse = ClickHouseClient.fromSettings(settings)) {
            clickHouse.execute("TRUNCATE TABLE events");
            clickHouse.execute("TRUNCATE TABLE events_dead_letter_queue");
        }

        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", kafka);
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        System.out.printf("producing %,d messages to %s...%n", messages, topic);
        long produceStart = System.nanoTime();
        properties.setProperty("linger.ms", "20");
        properties.setProperty("batch.size", "262144");
        SampleEvents events = new SampleEvents(42, 2);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < messages; i++) {
                producer.send(new ProducerRecord<>(topic, events.next()));
            }
        }
        System.out.printf("produce: %,.0f messages/s%n", rate(messages, produceStart));

        double raw = rawConsumerRate(kafka, topic, messages);
        System.out.printf("raw kafka consumer: %,.0f messages/s%n", raw);

        double pipeline = pipelineRate(settings, messages);
        System.out.printf(
                "pipeline (kafka -> clickhouse, parallelism 2): %,.0f events/s%n", pipeline);
        return new double[] {raw, pipeline};
    }

    private static double rawConsumerRate(String kafka, String topic, int messages) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", kafka);
        properties.setProperty("group.id", "bench-raw-" + UUID.randomUUID());
        properties.setProperty("auto.offset.reset", "earliest");
        long start = System.nanoTime();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (read < messages) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return rate(read, start);
    }

    /** From the job's start until every message is in ClickHouse as an event or a dead letter. */
    private static double pipelineRate(Settings settings, int messages) throws Exception {
        Configuration conf = PluginServerJob.withUpgradeRules(new Configuration());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        env.enableCheckpointing(10_000);
        PluginServerJob.defineWorkflow(Inputs.kafka(env, settings), settings, new Sinks(settings));
        long start = System.nanoTime();
        JobClient job = env.executeAsync("bench pipeline");
        try (ClickHouseClient clickHouse = ClickHouseClient.fromSettings(settings)) {
            long seen = 0;
            long lastReport = System.nanoTime();
            while (seen < messages) {
                Thread.sleep(200);
                seen =
                        clickHouse.query("SELECT count() AS c FROM events").get(0).get("c").asLong()
                                + clickHouse
                                        .query("SELECT count() AS c FROM events_dead_letter_queue")
                                        .get(0)
                                        .get("c")
                                        .asLong();
                if (System.nanoTime() - lastReport > 5e9) {
                    System.out.printf("  %,d of %,d stored%n", seen, messages);
                    lastReport = System.nanoTime();
                }
            }
        } finally {
            job.cancel().get();
        }
        return rate(messages, start);
    }

    static double rate(long count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }
}
