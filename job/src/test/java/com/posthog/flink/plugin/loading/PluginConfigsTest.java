package com.posthog.flink.plugin.loading;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.plugin.runtime.PluginServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginConfigsTest {

    private static final String ORG = "0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001";
    private static final PluginRow PLUGIN_A = plugin(1, "a");
    private static final PluginRow PLUGIN_B = plugin(2, "b");

    private static PluginRow plugin(long id, String name) {
        return new PluginRow(
                id, ORG, "custom", false, name, null, null, bytes("zip of " + name), null, "{}");
    }

    private static PluginConfigRow config(long id, Long teamId, long pluginId, int order) {
        return new PluginConfigRow(id, teamId, pluginId, true, order, "{\"id\": " + id + "}", null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final List<PluginConfigRow> CONFIGS =
            List.of(
                    config(10, 2L, 1, 3),
                    config(11, 2L, 2, 1),
                    config(12, 2L, 1, 1),
                    config(13, 3L, 2, 0),
                    config(14, null, 1, 0),
                    config(15, 2L, 99, 0));

    private static final List<AttachmentRow> ATTACHMENTS =
            List.of(
                    new AttachmentRow(
                            101, 2L, 10, "mmdb", "application/octet-stream", "a.mmdb", bytes("v2")),
                    new AttachmentRow(
                            100,
                            2L,
                            10,
                            "mmdb",
                            "application/octet-stream",
                            "old.mmdb",
                            bytes("v1")),
                    new AttachmentRow(102, 2L, 10, "csv", "text/csv", "x.csv", bytes("a,b")));

    private static PluginConfigs load() {
        return PluginConfigs.of(List.of(PLUGIN_A, PLUGIN_B), CONFIGS, ATTACHMENTS);
    }

    @Test
    void teamsGetTheirConfigsInOrderThenById() {
        PluginConfigs configs = load();

        assertThat(configs.configsOfTeam(2))
                .extracting(PluginConfigRow::id)
                .containsExactly(11L, 12L, 10L);
        assertThat(configs.configsOfTeam(3)).extracting(PluginConfigRow::id).containsExactly(13L);
        assertThat(configs.configsOfTeam(4)).isEmpty();
        assertThat(configs.configsByTeam()).containsOnlyKeys(2L, 3L);
    }

    @Test
    void configWithoutTeamIsKeptByIdButRunsForNoTeam() {
        PluginConfigs configs = load();

        assertThat(configs.configs()).containsKey(14L);
        assertThat(configs.configsByTeam().values())
                .allSatisfy(
                        list ->
                                assertThat(list)
                                        .extracting(PluginConfigRow::id)
                                        .doesNotContain(14L));
    }

    @Test
    void configWhosePluginIsMissingIsSkipped() {
        PluginConfigs configs = load();

        assertThat(configs.configs())
                .doesNotContainKey(15L)
                .containsOnlyKeys(10L, 11L, 12L, 13L, 14L);
        assertThat(configs.plugins()).containsOnlyKeys(1L, 2L);
    }

    @Test
    void attachmentsAreByKeyAndTheLaterRowWins() {
        Map<String, PluginServices.Attachment> attachments = load().attachments(10);

        assertThat(attachments).containsOnlyKeys("mmdb", "csv");
        assertThat(attachments.get("mmdb").fileName()).isEqualTo("a.mmdb");
        assertThat(attachments.get("mmdb").contents()).isEqualTo(bytes("v2"));
        assertThat(load().attachments(11)).isEmpty();
    }

    @Test
    void twoLoadsOfTheSameRowsAreEqualAndAChangedArchiveIsNot() {
        PluginRow newArchive =
                new PluginRow(2, ORG, "custom", false, "b", null, null, bytes("new"), null, "{}");
        PluginConfigs changed =
                PluginConfigs.of(List.of(PLUGIN_A, newArchive), CONFIGS, ATTACHMENTS);

        assertThat(load()).isEqualTo(load());
        assertThat(changed).isNotEqualTo(load());
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        PluginConfigs configs = load();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(configs);
        }
        Object copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }

        assertThat(copy).isEqualTo(configs);
        assertThat(((PluginConfigs) copy).configsOfTeam(2))
                .extracting(PluginConfigRow::id)
                .containsExactly(11L, 12L, 10L);
    }
}
