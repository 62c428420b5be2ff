package com.posthog.flink.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.cli.Version;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.runtime.PluginServices;
import com.posthog.flink.plugin.services.DefaultPluginServices;
import com.posthog.flink.plugin.services.EventHistory;
import com.posthog.flink.plugin.services.PluginApiKeys;
import com.posthog.flink.plugin.services.PluginCache;
import com.posthog.flink.plugin.services.PluginErrors;
import com.posthog.flink.plugin.services.PluginLogEntry;
import com.posthog.flink.plugin.services.PluginStorage;
import com.posthog.flink.plugin.services.Uuidt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The plugin host's surroundings in the job: Postgres for errors, capabilities and storage, Redis
 * for the cache, and buffers for the log entries and captured events the stage emits after each
 * element.
 */
final class JobPluginContext implements PluginHostContext {

    private final PostgresClient postgres;
    private PluginConfigs configs;
    private final PluginStorage storage;
    private final PluginCache cache;
    private final GeoIp geoIp;
    private final EventHistory history;
    private final PluginApiKeys apiKeys;
    private final java.util.function.LongConsumer onDisabled;
    private final String instanceId = Uuidt.next();

    final List<PluginLogEntry> logs = new ArrayList<>();
    final List<KafkaMessage> captured = new ArrayList<>();

    /**
     * @param geoIp the GeoIP database, or null when GeoIP is not available
     * @param history the team's stored events, for the historical export
     * @param onDisabled told the id of a config disabled after failing to load ten times
     */
    JobPluginContext(
            PostgresClient postgres,
            PluginConfigs configs,
            PluginStorage storage,
            PluginCache cache,
            GeoIp geoIp,
            EventHistory history,
            java.util.function.LongConsumer onDisabled) {
        this.postgres = postgres;
        this.configs = configs;
        this.storage = storage;
        this.cache = cache;
        this.geoIp = geoIp;
        this.history = history;
        this.apiKeys = new PluginApiKeys(postgres);
        this.onDisabled = onDisabled;
    }

    /** The configs after a reload, for attachments of contexts created from now on. */
    void use(PluginConfigs fresh) {
        this.configs = fresh;
    }

    @Override
    public PluginServices services(
            PluginConfigRow config, PluginRow plugin, Consumer<String> captures) {
        return new DefaultPluginServices(
                config,
                configs.attachments(config.id()),
                instanceId,
                storage,
                cache,
                logs::add,
                captures,
                geoIp,
                true,
                history,
                apiKeys);
    }

    @Override
    public void setError(PluginConfigRow config, ObjectNode error) throws Exception {
        PluginErrors.setError(postgres, config.id(), error);
    }

    @Override
    public void clearError(PluginConfigRow config) throws Exception {
        PluginErrors.clearError(postgres, config.id());
    }

    @Override
    public void disable(PluginConfigRow config) throws Exception {
        PluginErrors.disable(postgres, config.id());
        onDisabled.accept(config.id());
    }

    @Override
    public void setCapabilities(
            PluginRow plugin, ObjectNode capabilities, java.util.Map<String, String> metrics)
            throws Exception {
        PluginErrors.setCapabilities(postgres, plugin.id(), capabilities);
        PluginErrors.setMetrics(postgres, plugin.id(), metrics);
        for (JsonNode job : capabilities.path("jobs")) {
            if (job.asText().equals(PluginErrors.HISTORICAL_EXPORT_JOB)) {
                PluginErrors.addHistoricalExportJob(postgres, plugin.id());
            }
        }
    }

    @Override
    public void log(
            PluginConfigRow config,
            PluginLogEntry.Source source,
            PluginLogEntry.Type type,
            String message) {
        if (config.teamId() != null) {
            logs.add(
                    PluginLogEntry.create(
                            config.teamId(),
                            config.pluginId(),
                            config.id(),
                            System.currentTimeMillis(),
                            source,
                            type,
                            message,
                            instanceId));
        }
    }

    /**
     * {@code posthog.capture(event, properties)} (spec §2.4): the event re-enters {@code
     * events_plugin_ingestion} as a capture message of the config's team.
     */
    @Override
    public void capture(PluginConfigRow config, String uuid, String eventJson) {
        try {
            ObjectNode call = Json.parseObject(eventJson);
            ObjectNode properties =
                    call.get("properties") instanceof ObjectNode given
                            ? given.deepCopy()
                            : Json.MAPPER.createObjectNode();
            JsonNode timestamp = properties.remove("timestamp");
            String time = timestamp == null ? Instant.now().toString() : Json.jsString(timestamp);
            JsonNode distinctIdNode = properties.remove("distinct_id");
            String distinctId =
                    distinctIdNode == null
                            ? "plugin-id-" + config.pluginId()
                            : Json.jsString(distinctIdNode);
            ObjectNode dataProperties = Json.MAPPER.createObjectNode();
            dataProperties.put("$lib", "posthog-plugin-server");
            dataProperties.put("$lib_version", Version.VERSION);
            dataProperties.put("distinct_id", distinctId);
            dataProperties.setAll(properties);
            ObjectNode data = Json.MAPPER.createObjectNode();
            data.put("distinct_id", distinctId);
            data.set("event", call.get("event"));
            data.put("timestamp", time);
            data.set("properties", dataProperties);
            data.put("team_id", config.teamId());
            data.put("uuid", uuid);
            ObjectNode message = Json.MAPPER.createObjectNode();
            message.put("distinct_id", distinctId);
            message.put("ip", "");
            message.put("site_url", "");
            message.put("data", Json.write(data));
            message.put("team_id", config.teamId());
            message.put("now", time);
            message.put("sent_at", time);
            message.put("uuid", uuid);
            captured.add(new KafkaMessage(Json.write(message), -1));
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "posthog.capture got no event object: " + eventJson, e);
        }
    }
}
