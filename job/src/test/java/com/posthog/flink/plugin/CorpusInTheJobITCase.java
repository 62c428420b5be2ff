package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.corpus.PluginCorpus;
import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real published plugins (fetched from npm at test time) installed in Postgres and run by the job
 * over a file of events: the taxonomy plugin renames the event, the GeoIP plugin (TypeScript)
 * locates the IP in the MaxMind test database the plugin ships.
 */
class CorpusInTheJobITCase {

    private static final String ORGANIZATION = "0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001";

    private static void install(
            PostgresClient postgres, String name, Path folder, int order, String config)
            throws Exception {
        postgres.execute(
                c -> {
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "WITH plugin AS (INSERT INTO posthog_plugin (organization_id, plugin_type, name, url)"
                                            + " VALUES (?::uuid, 'local', ?, ?) RETURNING id)"
                                            + " INSERT INTO posthog_pluginconfig (team_id, plugin_id, enabled, \"order\", config)"
                                            + " SELECT 2, id, true, ?, ?::jsonb FROM plugin")) {
                        s.setString(1, ORGANIZATION);
                        s.setString(2, name);
                        s.setString(3, "file:" + folder);
                        s.setInt(4, order);
                        s.setString(5, config);
                        s.execute();
                    }
                    return null;
                });
    }

    @Test
    void theTaxonomyAndGeoipPluginsTransformEventsInTheJob(@TempDir Path dir) throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        try (PostgresClient postgres = new PostgresClient(services.postgres())) {
            install(
                    postgres,
                    "Taxonomy",
                    PluginCorpus.folder(PluginCorpus.TAXONOMY),
                    1,
                    "{\"defaultNamingConvention\":\"snake_case\"}");
            install(postgres, "GeoIP", PluginCorpus.folder(PluginCorpus.GEOIP), 2, "{}");
        }
        String message =
                Messages.event(1, "located", "orderCompleted", "{\"a\":1}")
                        .replace("\"ip\":\"127.0.0.1\"", "\"ip\":\"89.160.20.129\"");

        InputFileRun run =
                InputFileRun.runMessages(
                        services,
                        dir,
                        List.of(message),
                        Map.of(
                                "plugin-server.base-dir",
                                "",
                                "plugin-server.mmdb-path",
                                PluginCorpus.testMmdb().toString()));

        assertThat(run.lastLine())
                .isEqualTo("input-file: lines=1 ingested=1 dropped=0 dead_letters=0");
        List<ObjectNode> rows =
                services.clickHouseRows("SELECT event, properties FROM events FINAL");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("event").asText()).isEqualTo("order_completed");
        JsonNode properties = Json.parse(rows.get(0).get("properties").asText());
        assertThat(properties.get("$geoip_city_name").asText()).isEqualTo("Linköping");
        assertThat(properties.get("$geoip_country_code").asText()).isEqualTo("SE");
        assertThat(properties.get("a").asInt()).isEqualTo(1);
        assertThat(
                        services.postgresCount(
                                "SELECT count(*) FROM posthog_pluginconfig WHERE error IS NOT NULL"))
                .isZero();
    }
}
