package com.posthog.flink.sink;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

/** Kafka client properties shared by the source, the sinks and producers of the job. */
public final class KafkaProperties {

    private KafkaProperties() {}

    /**
     * Bootstrap servers, and TLS from the three base64 PEM variables when all are set (as the
     * original; like its {@code rejectUnauthorized: false}, the host name is not verified).
     */
    public static Properties common(Settings settings) {
        Properties properties = new Properties();
        properties.setProperty(
                "bootstrap.servers", settings.string(PluginServerOptions.KAFKA_HOSTS));
        String cert = settings.string(PluginServerOptions.KAFKA_CLIENT_CERT_B64);
        String key = settings.string(PluginServerOptions.KAFKA_CLIENT_CERT_KEY_B64);
        String trusted = settings.string(PluginServerOptions.KAFKA_TRUSTED_CERT_B64);
        if (!cert.isBlank() && !key.isBlank() && !trusted.isBlank()) {
            properties.setProperty("security.protocol", "SSL");
            properties.setProperty("ssl.keystore.type", "PEM");
            properties.setProperty("ssl.keystore.certificate.chain", decode(cert));
            properties.setProperty("ssl.keystore.key", decode(key));
            properties.setProperty("ssl.truststore.type", "PEM");
            properties.setProperty("ssl.truststore.certificates", decode(trusted));
            properties.setProperty("ssl.endpoint.identification.algorithm", "");
        }
        return properties;
    }

    /**
     * Producer properties: the original's batching settings mapped onto the Kafka producer ({@code
     * KAFKA_MAX_MESSAGE_BATCH_SIZE} bytes per batch, {@code KAFKA_FLUSH_FREQUENCY_MS} of
     * lingering), and acknowledgement by all replicas so a stored record is not lost.
     */
    public static Properties producer(Settings settings) {
        Properties properties = common(settings);
        properties.setProperty(
                "batch.size",
                Integer.toString(
                        settings.integer(PluginServerOptions.KAFKA_MAX_MESSAGE_BATCH_SIZE)));
        properties.setProperty(
                "linger.ms",
                Long.toString(
                        (long) settings.number(PluginServerOptions.KAFKA_FLUSH_FREQUENCY_MS)));
        properties.setProperty("acks", "all");
        return properties;
    }

    private static String decode(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
