package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.runtime.PluginServices;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultPluginServicesTest {

    private static final String INSTANCE = "017cc6a0-6d7b-0000-8f8c-2a6f1bd9a3c2";
    private static final long PLUGIN = 5;

    private final MemoryPluginStorage storage = new MemoryPluginStorage();
    private final MemoryPluginCache cache = new MemoryPluginCache();
    private final List<PluginLogEntry> logs = new ArrayList<>();
    private final List<String> captured = new ArrayList<>();

    private DefaultPluginServices services(long configId, Long teamId, String configJson) {
        return new DefaultPluginServices(
                new PluginConfigRow(configId, teamId, PLUGIN, true, 0, configJson, null),
                Map.of(
                        "file",
                        new PluginServices.Attachment(
                                "text/csv", "a.csv", "a,b".getBytes(StandardCharsets.UTF_8))),
                INSTANCE,
                storage,
                cache,
                logs::add,
                captured::add);
    }

    @Test
    void configAndAttachmentsAreTheConfigs() {
        assertThat(services(9, 2L, "{\"key\":\"value\"}").configJson())
                .isEqualTo("{\"key\":\"value\"}");
        assertThat(services(9, 2L, null).configJson()).isEqualTo("{}");
        assertThat(services(9, 2L, null).attachments().get("file").fileName()).isEqualTo("a.csv");
    }

    @Test
    void storageIsPerPluginConfig() throws Exception {
        DefaultPluginServices first = services(9, 2L, null);
        DefaultPluginServices second = services(10, 2L, null);

        first.storageSet("k", "{\"n\":1}");

        assertThat(first.storageGet("k")).isEqualTo("{\"n\":1}");
        assertThat(second.storageGet("k")).isNull();
        first.storageDel("k");
        assertThat(first.storageGet("k")).isNull();
    }

    @Test
    void cacheIsPerPluginAndTeam() {
        DefaultPluginServices team2 = services(9, 2L, null);
        DefaultPluginServices team2OtherConfig = services(10, 2L, null);
        DefaultPluginServices team3 = services(11, 3L, null);

        team2.cacheSet("k", "\"v\"", null);
        team2.cacheLpush("list", List.of("a"));

        assertThat(team2OtherConfig.cacheGet("k")).isEqualTo("\"v\"");
        assertThat(team3.cacheGet("k")).isNull();
        assertThat(cache.get("@plugin/5/2/k")).isEqualTo("\"v\"");
        assertThat(cache.lrange("@plugin/5/2/list", 0, -1)).containsExactly("a");
        assertThat(team2.cacheIncr("n")).isEqualTo(1);
        assertThat(team2.cacheLlen("list")).isEqualTo(1);
        assertThat(team2.cacheLpop("list", 1)).containsExactly("a");
    }

    @Test
    void consoleCallsBecomeLogEntriesOfTheConfig() {
        long before = System.currentTimeMillis();

        services(9, 2L, null).log("WARN", "number = 987");

        assertThat(logs).hasSize(1);
        PluginLogEntry entry = logs.get(0);
        assertThat(entry.teamId()).isEqualTo(2);
        assertThat(entry.pluginId()).isEqualTo(PLUGIN);
        assertThat(entry.pluginConfigId()).isEqualTo(9);
        assertThat(entry.source()).isEqualTo(PluginLogEntry.Source.CONSOLE);
        assertThat(entry.type()).isEqualTo(PluginLogEntry.Type.WARN);
        assertThat(entry.message()).isEqualTo("number = 987");
        assertThat(entry.instanceId()).isEqualTo(INSTANCE);
        assertThat(entry.timestamp()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void systemAndErrorEntriesKeepTheirSourceAndTime() {
        DefaultPluginServices services = services(9, 2L, null);

        services.log(PluginLogEntry.Source.PLUGIN, PluginLogEntry.Type.ERROR, "boom", 1234L);

        assertThat(logs)
                .singleElement()
                .satisfies(
                        entry -> {
                            assertThat(entry.source()).isEqualTo(PluginLogEntry.Source.PLUGIN);
                            assertThat(entry.timestamp()).isEqualTo(1234L);
                        });
    }

    @Test
    void aConfigWithoutTeamHasNoPluginLog() {
        services(9, null, null).log("INFO", "nowhere to go");

        assertThat(logs).isEmpty();
    }

    @Test
    void unknownLogTypeIsAProgrammingError() {
        assertThatThrownBy(() -> services(9, 2L, null).log("TRACE", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capturedEventsGoToTheSink() {
        services(9, 2L, null).capture("{\"event\":\"x\",\"properties\":{}}");

        assertThat(captured).containsExactly("{\"event\":\"x\",\"properties\":{}}");
    }
}
