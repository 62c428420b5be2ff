package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.corpus.PluginCorpus;
import com.posthog.flink.testing.InputFileRun;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.nio.file.Path;
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

    @Test
    void theTaxonomyAndGeoipPluginsTransformEventsInTheJob(@TempDir Path dir) throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        services.installPlugin(
                "Taxonomy",
                "file:" + PluginCorpus.folder(PluginCorpus.TAXONOMY),
                1,
                "{\"defaultNamingConvention\":\"snake_case\"}");
        services.installPlugin("GeoIP", "file:" + PluginCorpus.folder(PluginCorpus.GEOIP), 2, "{}");
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
