package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.MessageParser;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.testing.Messages;
import com.posthog.flink.testing.TestServices;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Declared plugin metrics (spec §2.7) are aggregated and sent every 30 minutes as a {@code
 * $$plugin_metrics} event into the plugin's team, then reset.
 */
class PluginMetricsITCase {

    private static final long TWENTY_PAST = Instant.parse("2021-10-29T11:20:00Z").toEpochMilli();

    @Test
    void metricsAreSentEveryHalfHourAsAPluginMetricsEvent() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        services.installPlugin("metrics", "file:udf-plugins/fixtures/metrics", 1, "{}");
        var settings =
                services.settings("unused", "unused", true)
                        .with(PluginServerOptions.BASE_DIR, TestServices.repoRoot().toString());
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PluginStage(settings)),
                        (PipelineEvent event) -> event.teamId,
                        Types.LONG)) {
            harness.setProcessingTime(TWENTY_PAST);
            harness.open();
            for (int n = 1; n <= 3; n++) {
                harness.processElement(
                        new StreamRecord<>(
                                MessageParser.parse(Messages.event(n, "u", "e", "{\"a\":1}"), n)));
            }

            harness.setProcessingTime(TWENTY_PAST + 10 * 60_000);

            List<KafkaMessage> captured =
                    harness.getSideOutput(Outputs.CAPTURED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(captured).hasSize(1);
            JsonNode message = Json.parse(captured.get(0).value);
            JsonNode data = Json.parse(message.get("data").asText());
            assertThat(message.get("team_id").asInt()).isEqualTo(2);
            assertThat(data.get("event").asText()).isEqualTo("$$plugin_metrics");
            assertThat(data.get("properties").get("processed").asInt()).isEqualTo(3);
            // Each event had one property when the plugin saw it.
            assertThat(data.get("properties").get("widest").asInt()).isEqualTo(1);
            assertThat(data.get("properties").get("plugin_name").asText()).isEqualTo("metrics");
        }
    }
}
