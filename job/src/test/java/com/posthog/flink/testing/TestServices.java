package com.posthog.flink.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.db.Migrations;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.pipeline.PluginServerJob;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real services of the local stack, as the test command exports them ({@code eval
 * "$(scripts/stack env)"}), with state of the tests' own: databases {@code posthog_it}, Redis
 * database 9, topics and consumer groups named per test. Nothing is shared with a job a person may
 * be running on the same stack.
 */
public final class TestServices {

    /**
     * The tests' databases; {@code IT_DATABASE} and {@code IT_REDIS_DB} let two checkouts run their
     * tests on one stack at the same time.
     */
    public static final String DATABASE = System.getenv().getOrDefault("IT_DATABASE", "posthog_it");

    public static final int REDIS_DB =
            Integer.parseInt(System.getenv().getOrDefault("IT_REDIS_DB", "9"));

    private final Map<String, String> environment;

    private TestServices(Map<String, String> environment) {
        this.environment = environment;
    }

    public static TestServices fromEnvironment() {
        Map<String, String> env = System.getenv();
        for (String name :
                List.of(
                        "KAFKA_HOSTS",
                        "DATABASE_URL",
                        "REDIS_URL",
                        "CLICKHOUSE_HOST",
                        "CLICKHOUSE_HTTP_PORT")) {
            if (env.get(name) == null) {
                throw new IllegalStateException(
                        name
                                + " is not set: run the tests with scripts/test (it starts the stack and exports its settings).");
            }
        }
        return new TestServices(env);
    }

    /** Settings for a job under test, on the tests' databases and the given topics. */
    public Settings settings(
            String inputTopic, String deadLetterTopic, boolean clickHousePipeline) {
        Map<String, String> dynamic = new HashMap<>(dynamicProperties());
        dynamic.put(PluginServerOptions.KAFKA_CONSUMPTION_TOPIC.key(), inputTopic);
        dynamic.put(PluginServerOptions.KAFKA_DEAD_LETTER_TOPIC.key(), deadLetterTopic);
        dynamic.put(PluginServerOptions.KAFKA_CONSUMER_GROUP.key(), "it-" + inputTopic);
        dynamic.put(PluginServerOptions.KAFKA_ENABLED.key(), Boolean.toString(clickHousePipeline));
        dynamic.put(PluginServerOptions.KAFKA_FLUSH_FREQUENCY_MS.key(), "200");
        return Settings.resolve(
                dynamic, environment, new org.apache.flink.configuration.Configuration());
    }

    /** {@code -D} values that point a job at the tests' databases and Redis index. */
    public Map<String, String> dynamicProperties() {
        Map<String, String> dynamic = new HashMap<>();
        dynamic.put(PluginServerOptions.DATABASE_URL.key(), postgres().toString());
        dynamic.put(PluginServerOptions.CLICKHOUSE_DATABASE.key(), DATABASE);
        dynamic.put(
                PluginServerOptions.REDIS_URL.key(), environment.get("REDIS_URL") + "/" + REDIS_DB);
        return dynamic;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Settings.PostgresConnection postgres() {
        return Settings.PostgresConnection.fromUrl(environment.get("DATABASE_URL"))
                .withDatabase(DATABASE);
    }

    public ClickHouseClient clickHouse() {
        return new ClickHouseClient(clickHouseEndpoint(), "default", "", DATABASE);
    }

    private String clickHouseEndpoint() {
        return "http://"
                + environment.get("CLICKHOUSE_HOST")
                + ":"
                + environment.get("CLICKHOUSE_HTTP_PORT");
    }

    /** Drops the tests' databases, then builds them with the real migrations and the seed. */
    public void freshDatabases() throws Exception {
        Migrations.recreate(postgres(), clickHouseEndpoint(), DATABASE);
    }

    /**
     * The environment of a streaming job under test on the MiniCluster: parallelism 2, a checkpoint
     * every second (sinks flush and offsets commit on checkpoints), the upgrade rules.
     */
    public static StreamExecutionEnvironment streamingEnvironment() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PluginServerJob.withUpgradeRules(
                                new org.apache.flink.configuration.Configuration()));
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        return env;
    }

    /**
     * A MiniCluster of one task manager with two slots: the jobs under test run at parallelism 2.
     */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /** The seeded organization, which may run any plugin. */
    public static final String ORGANIZATION = "0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001";

    /**
     * Installs a local plugin for team 2 as the PostHog app would: a {@code posthog_plugin} row
     * with {@code url} (e.g. {@code file:udf-plugins/fixtures/dropper}) and an enabled config.
     *
     * @return the plugin config id
     */
    public long installPlugin(String name, String url, int order, String configJson)
            throws Exception {
        return installPlugin(2, name, url, order, configJson);
    }

    /** {@link #installPlugin(String, String, int, String)} for another seeded team. */
    public long installPlugin(long teamId, String name, String url, int order, String configJson)
            throws Exception {
        try (PostgresClient postgres = new PostgresClient(postgres())) {
            return postgres.execute(
                    c -> {
                        try (java.sql.PreparedStatement s =
                                c.prepareStatement(
                                        "WITH plugin AS (INSERT INTO posthog_plugin (organization_id, plugin_type, name, url)"
                                                + " VALUES (?::uuid, 'local', ?, ?) RETURNING id)"
                                                + " INSERT INTO posthog_pluginconfig (team_id, plugin_id, enabled, \"order\", config)"
                                                + " SELECT ?, id, true, ?, ?::jsonb FROM plugin RETURNING id")) {
                            s.setString(1, ORGANIZATION);
                            s.setString(2, name);
                            s.setString(3, url);
                            s.setLong(4, teamId);
                            s.setInt(5, order);
                            s.setString(6, configJson);
                            try (ResultSet rows = s.executeQuery()) {
                                rows.next();
                                return rows.getLong(1);
                            }
                        }
                    });
        }
    }

    public static Path repoRoot() {
        String root = System.getenv("PLUGIN_SERVER_REPO_ROOT");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    // --- Kafka

    public Properties kafkaProperties() {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", environment.get("KAFKA_HOSTS"));
        return properties;
    }

    /** A new topic with a unique name, two partitions. */
    public String newTopic(String prefix) throws Exception {
        return newTopic(prefix, 2);
    }

    /** A new topic with a unique name; one partition keeps a team's messages in one order. */
    public String newTopic(String prefix, int partitions) throws Exception {
        String topic = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(kafkaProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    public void produce(String topic, List<String> values) throws Exception {
        Properties properties = kafkaProperties();
        properties.setProperty("linger.ms", "20");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
        }
    }

    /** Every message of a topic, read from the beginning until no more arrive. */
    public List<String> consumeAll(String topic) {
        Properties properties = kafkaProperties();
        properties.setProperty("group.id", "it-reader-" + UUID.randomUUID());
        properties.setProperty("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() - quietSince < 3000) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                    quietSince = System.currentTimeMillis();
                }
            }
        }
        return values;
    }

    /** True when the group has committed offsets at the end of every partition of the topic. */
    public boolean consumedToEnd(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafkaProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            List<TopicPartition> partitions =
                    admin
                            .describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            Map<TopicPartition, Long> ends =
                    admin
                            .listOffsets(
                                    partitions.stream()
                                            .collect(
                                                    Collectors.toMap(
                                                            p -> p, p -> OffsetSpec.latest())))
                            .all()
                            .get()
                            .entrySet()
                            .stream()
                            .collect(
                                    Collectors.toMap(
                                            Map.Entry::getKey, e -> e.getValue().offset()));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                long end = ends.get(partition);
                if (end > 0 && (offset == null || offset.offset() < end)) {
                    return false;
                }
            }
            return true;
        }
    }

    // --- Queries

    public long clickHouseCount(String sql) throws Exception {
        try (ClickHouseClient clickHouse = clickHouse()) {
            List<ObjectNode> rows = clickHouse.query(sql);
            return rows.get(0).elements().next().asLong();
        }
    }

    public List<ObjectNode> clickHouseRows(String sql) throws Exception {
        try (ClickHouseClient clickHouse = clickHouse()) {
            return clickHouse.query(sql);
        }
    }

    public long postgresCount(String sql) throws Exception {
        return Long.parseLong(postgresValue(sql));
    }

    /** The first column of the first row, as text. */
    public String postgresValue(String sql) throws Exception {
        try (PostgresClient postgres = new PostgresClient(postgres())) {
            return postgres.execute(
                    c -> {
                        try (Statement s = c.createStatement();
                                ResultSet rows = s.executeQuery(sql)) {
                            rows.next();
                            return rows.getString(1);
                        }
                    });
        }
    }

    /** The first column of every row, as text. */
    public List<String> postgresValues(String sql) throws Exception {
        try (PostgresClient postgres = new PostgresClient(postgres())) {
            return postgres.execute(
                    c -> {
                        List<String> values = new ArrayList<>();
                        try (Statement s = c.createStatement();
                                ResultSet rows = s.executeQuery(sql)) {
                            while (rows.next()) {
                                values.add(rows.getString(1));
                            }
                        }
                        return values;
                    });
        }
    }

    /** Waits for a condition, polling; fails the test with the description after the timeout. */
    public static void await(String description, Duration timeout, CheckedCondition condition)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(
                        "Timed out after " + timeout.toSeconds() + " s waiting for " + description);
            }
            Thread.sleep(250);
        }
    }

    /** A condition that may throw while it checks. */
    @FunctionalInterface
    public interface CheckedCondition {
        boolean holds() throws Exception;
    }
}
