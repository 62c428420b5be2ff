package com.posthog.flink.plugin.loading;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.plugin.runtime.PluginCode;
import com.posthog.flink.plugin.runtime.PluginServices;
import com.posthog.flink.testing.TestServices;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loader against the real schema: which configs are in force (spec §1.1). */
class PluginConfigsLoaderITCase {

    private static PostgresClient postgres;
    private static PluginConfigs loaded;

    @BeforeAll
    static void loadFixture() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        postgres = new PostgresClient(services.postgres());
        String fixture;
        try (InputStream sql =
                PluginConfigsLoaderITCase.class.getResourceAsStream(
                        "/plugin-loading/configs-in-force.sql")) {
            fixture = new String(sql.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] archive =
                TestArchives.zip(Map.of("own-main/index.js", "export const processEvent = e => e"));
        postgres.execute(
                c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute(fixture);
                    }
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "UPDATE posthog_plugin SET archive = ? WHERE id = 1")) {
                        s.setBytes(1, archive);
                        s.executeUpdate();
                    }
                    return null;
                });
        loaded = PluginConfigsLoader.load(postgres);
    }

    @AfterAll
    static void close() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void configsInForceAreEnabledWithAccessAndOwnOrGlobalPlugins() {
        assertThat(loaded.configs()).containsOnlyKeys(101L, 102L, 107L, 108L);
    }

    @Test
    void onlyThePluginsOfConfigsInForceAreLoaded() {
        assertThat(loaded.plugins()).containsOnlyKeys(1L, 2L, 3L);
    }

    @Test
    void eachTeamHasItsConfigsInOrder() {
        assertThat(loaded.configsOfTeam(2))
                .extracting(PluginConfigRow::id)
                .containsExactly(102L, 108L, 101L);
        assertThat(loaded.configsOfTeam(30)).extracting(PluginConfigRow::id).containsExactly(107L);
        assertThat(loaded.configsByTeam()).containsOnlyKeys(2L, 30L);
    }

    @Test
    void rowsCarryTheirColumns() {
        PluginConfigRow config = loaded.configs().get(101L);
        assertThat(config.teamId()).isEqualTo(2L);
        assertThat(config.pluginId()).isEqualTo(1L);
        assertThat(config.enabled()).isTrue();
        assertThat(config.order()).isEqualTo(3);
        assertThat(config.configJson()).isEqualTo("{\"greeting\": \"hi\"}");
        assertThat(config.errorJson()).isNull();
        assertThat(loaded.configs().get(108L).errorJson()).contains("earlier failure");

        PluginRow own = loaded.plugins().get(1L);
        assertThat(own.organizationId()).isEqualTo("0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001");
        assertThat(own.pluginType()).isEqualTo("custom");
        assertThat(own.isGlobal()).isFalse();
        assertThat(own.tag()).isEqualTo("v1");
        assertThat(own.capabilitiesJson()).isEqualTo("{\"methods\": [\"processEvent\"]}");
        assertThat(loaded.plugins().get(3L).isGlobal()).isTrue();
        assertThat(loaded.plugins().get(2L).source())
                .isEqualTo("export const processEvent = e => e");
    }

    @Test
    void archivesComeBackAsStored() throws Exception {
        PluginCode code = PluginSources.codeOf(loaded.plugins().get(1L), "/nonexistent");

        assertThat(code.entry()).isEqualTo("index.js");
        assertThat(code.files()).containsEntry("index.js", "export const processEvent = e => e");
    }

    @Test
    void attachmentsOfConfigsInForceOnly() {
        Map<String, PluginServices.Attachment> attachments = loaded.attachments(101);

        assertThat(attachments).containsOnlyKeys("mmdb");
        assertThat(attachments.get("mmdb").contentType()).isEqualTo("application/octet-stream");
        assertThat(attachments.get("mmdb").fileName()).isEqualTo("city.mmdb");
        assertThat(new String(attachments.get("mmdb").contents(), StandardCharsets.UTF_8))
                .isEqualTo("test");
        assertThat(loaded.attachments(104)).isEmpty();
    }

    @Test
    void teamOptInIsIgnored() throws Exception {
        postgres.execute(
                c -> {
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate("UPDATE posthog_team SET plugins_opt_in = false");
                    }
                });

        assertThat(PluginConfigsLoader.load(postgres)).isEqualTo(loaded);
    }
}
