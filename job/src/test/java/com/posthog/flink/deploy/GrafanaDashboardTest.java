package com.posthog.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.posthog.flink.event.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ({@code deploy/grafana/plugin-server-dashboard.json}) queries the names
 * Flink's Prometheus reporter gives the job's metrics (CONTRACTS.md "Metrics"): {@code flink_} +
 * the logical scope {@code taskmanager_job_task_operator} + user groups + the metric name, with the
 * value of a key/value group as a label. So {@code addGroup("deadLetters").counter(location)} is
 * {@code flink_taskmanager_job_task_operator_deadLetters_<location>}, and {@code addGroup("plugin",
 * configId).counter("invocations")} is {@code
 * flink_taskmanager_job_task_operator_plugin_invocations{plugin="<configId>"}}. Counters are
 * exported as gauges (no {@code _total}), histograms as summaries ({@code quantile} label and
 * {@code _count}).
 */
class GrafanaDashboardTest {

    static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    static final Set<String> OPERATOR_METRICS =
            Set.of(
                    "eventsIn",
                    "eventsOut",
                    "personMerges",
                    "deadLetters_" + DeadLetter.PARSE_LOCATION,
                    "deadLetters_" + DeadLetter.INGEST_LOCATION,
                    "deadLetters_" + DeadLetter.SINK_LOCATION,
                    "deadLetters_" + DeadLetter.CELERY_LOCATION,
                    "sinkBatchSize",
                    "sinkBatchSize_count",
                    "sinkLatencyMs",
                    "sinkLatencyMs_count",
                    "plugin_invocations",
                    "plugin_errors",
                    "plugin_dropped",
                    "plugin_durationMs",
                    "plugin_disabled",
                    // Flink's own metrics of the Kafka source
                    "KafkaSourceReader_KafkaConsumer_records_lag_max");
    static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_]+");

    static JsonNode dashboard;
    static List<String> expressions = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        Path file =
                FlinkDeploymentTest.repositoryRoot()
                        .resolve("deploy/grafana/plugin-server-dashboard.json");
        dashboard = new ObjectMapper().readTree(Files.readString(file));
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("query").has("query")) {
                expressions.add(variable.path("query").path("query").asText());
            }
        }
    }

    @Test
    void isADashboardWithQueries() {
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(expressions).isNotEmpty().doesNotContain("");
    }

    @Test
    void queriesOnlyMetricsTheJobAndFlinkExport() {
        Set<String> unknown = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                String name = matcher.group();
                if (name.startsWith(OPERATOR)) {
                    if (!OPERATOR_METRICS.contains(name.substring(OPERATOR.length()))) {
                        unknown.add(name);
                    }
                } else if (!name.startsWith("flink_jobmanager_job_")
                        && !name.startsWith("flink_taskmanager_job_task_")) {
                    unknown.add(name);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void coversEveryStageSinkAndPluginMetricOfTheContract() {
        String all = String.join("\n", expressions);
        for (String metric : OPERATOR_METRICS) {
            if (!metric.startsWith("KafkaSourceReader") && !metric.endsWith("_count")) {
                assertThat(all).as(metric).contains(OPERATOR + metric);
            }
        }
        assertThat(all).contains("by (plugin)", "by (operator_name)");
    }
}
