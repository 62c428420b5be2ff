package com.posthog.flink.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.time.Instant;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sample traffic for {@code events_plugin_ingestion}, shaped like Django's capture endpoint writes
 * it: page views and clicks from a few hundred users, and one message in a hundred malformed so the
 * dead letters have something to show.
 *
 * <pre>
 * SampleEvents --bootstrap HOSTS [--topic T] [--team N] [--rate PER_SECOND] [--count N]
 * </pre>
 */
public final class SampleEvents {

    private static final String[] EVENTS = {
        "$pageview", "$pageview", "$autocapture", "signed_up", "purchase"
    };
    private static final String[] PATHS = {"/", "/pricing", "/docs", "/blog/flink", "/signup"};

    private final Random random;
    private final long teamId;
    private long sequence;

    public SampleEvents(long seed, long teamId) {
        this.random = new Random(seed);
        this.teamId = teamId;
    }

    /** The next message value; every hundredth one is malformed in one of a few ways. */
    public String next() {
        long n = sequence++;
        String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
        if (n % 100 == 99) {
            return switch ((int) (n / 100 % 3)) {
                case 0 -> "{not json " + n;
                case 1 -> message("not-a-uuid", n);
                default ->
                        message(uuid, n)
                                .replace("\"team_id\":" + teamId, "\"team_id\":\"unknown\"");
            };
        }
        return message(uuid, n);
    }

    private String message(String uuid, long n) {
        String distinctId = "user-" + random.nextInt(500);
        String path = PATHS[random.nextInt(PATHS.length)];
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("event", EVENTS[random.nextInt(EVENTS.length)]);
        ObjectNode properties = data.putObject("properties");
        properties.put("distinct_id", distinctId);
        properties.put("$current_url", "http://localhost:8000" + path);
        properties.put("$pathname", path);
        properties.put("$browser", random.nextBoolean() ? "Chrome" : "Firefox");
        properties.put("$lib", "web");
        properties.put("n", n);
        data.put("timestamp", Instant.now().toString());
        String now = Instant.now().toString();
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("uuid", uuid);
        message.put("distinct_id", distinctId);
        message.put("ip", "127.0.0." + (1 + random.nextInt(200)));
        message.put("site_url", "http://localhost:8000");
        message.put("data", Json.write(data));
        message.put("team_id", teamId);
        message.put("now", now);
        message.put("sent_at", now);
        return Json.write(message);
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        String topic = "events_plugin_ingestion";
        long team = 2;
        double rate = 20;
        long count = Long.MAX_VALUE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--topic" -> topic = args[i + 1];
                case "--team" -> team = Long.parseLong(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--count" -> count = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
        }
        if (bootstrap == null) {
            System.err.println(
                    "Usage: SampleEvents --bootstrap HOSTS [--topic T] [--team N] [--rate PER_SECOND] [--count N]");
            System.exit(2);
        }
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrap);
        properties.setProperty("linger.ms", "20");
        SampleEvents events = new SampleEvents(System.nanoTime(), team);
        long pauseNanos = (long) (1e9 / rate);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            long next = System.nanoTime();
            for (long sent = 0; sent < count; sent++) {
                producer.send(new ProducerRecord<>(topic, events.next()));
                if (sent % 100 == 99) {
                    System.out.println("sample events: " + (sent + 1) + " sent to " + topic);
                }
                next += pauseNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
    }
}
