package com.posthog.flink.pipeline;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.ParseMessages;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.ingestion.IngestionStage;
import com.posthog.flink.ingestion.PostgresIngestionDatabase;
import com.posthog.flink.plugin.PluginStage;
import com.posthog.flink.plugin.PluginStageOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The topology of DESIGN.md, built from a given input and given outputs so that the job and its
 * tests run the same graph:
 *
 * <pre>
 * messages ─parse─▶ keyBy team ─▶ plugin stage ─▶ keyBy team ─▶ ingestion stage ─▶ events
 * control records ──────┤
 * app jobs (Celery) ────┘
 * dead letters (parse, app jobs, ingestion) ─────────────────────────────────▶ dead letters
 * </pre>
 */
public final class PluginServerJob {

    /** Max parallelism is fixed: state is sharded by it, so it must not change between versions. */
    public static final int MAX_PARALLELISM = 128;

    private PluginServerJob() {}

    /**
     * The rules that keep savepoints usable (DESIGN.md): explicit uids only, no Kryo, a fixed max
     * parallelism unless the configuration names one.
     */
    public static Configuration withUpgradeRules(Configuration conf) {
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (!conf.contains(PipelineOptions.MAX_PARALLELISM)) {
            conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        }
        return conf;
    }

    /**
     * For a local MiniCluster without a checkpoint directory of its own: checkpoints go to files
     * under the temporary directory. Without one, Flink keeps them in the JobManager's memory,
     * which refuses state over 5 MiB, so a local job with a few thousand persons would fail every
     * checkpoint and restart. (A cluster has its own directory: scripts/flink-cluster.)
     */
    public static Configuration withLocalCheckpointStorage(Configuration conf) {
        if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    java.nio.file.Path.of(
                                    System.getProperty("java.io.tmpdir"),
                                    "posthog-plugin-server",
                                    "checkpoints")
                            .toUri()
                            .toString());
        }
        return conf;
    }

    public static void defineWorkflow(
            DataStream<KafkaMessage> messages, Settings settings, SinkAppliers sinks) {
        defineWorkflow(messages, null, null, settings, sinks);
    }

    /**
     * @param control control records of the teams with plugin configs ({@link
     *     PipelineEvent#control}), so their schedules start without events; null for none (a
     *     bounded run, or tests)
     * @param appJobs {@link PipelineEvent#job} records of the jobs the PostHog app started, with
     *     dead letters as a side output; null for none
     */
    public static void defineWorkflow(
            DataStream<KafkaMessage> messages,
            DataStream<PipelineEvent> control,
            SingleOutputStreamOperator<PipelineEvent> appJobs,
            Settings settings,
            SinkAppliers sinks) {
        SingleOutputStreamOperator<PipelineEvent> parsed =
                messages.process(new ParseMessages()).name("Parse message").uid(Uids.PARSE);

        DataStream<PipelineEvent> toPlugins = control == null ? parsed : parsed.union(control);
        if (appJobs != null) {
            toPlugins = toPlugins.union(appJobs);
        }
        SingleOutputStreamOperator<PipelineEvent> processed =
                toPlugins
                        .keyBy(event -> event.teamId)
                        .transform(
                                "Plugins",
                                TypeInformation.of(PipelineEvent.class),
                                new PluginStageOperator(new PluginStage(settings)))
                        .name("Plugins")
                        .uid(Uids.PLUGIN_STAGE);

        SingleOutputStreamOperator<IngestedEvent> ingested =
                processed
                        .keyBy(event -> event.teamId)
                        .process(
                                new IngestionStage(
                                        PostgresIngestionDatabase.factory(settings),
                                        settings.bool(PluginServerOptions.KAFKA_ENABLED)))
                        .name("Ingestion")
                        .uid(Uids.INGESTION_STAGE);

        DataStream<DeadLetter> deadLetters =
                parsed.getSideOutput(Outputs.DEAD_LETTERS)
                        .union(ingested.getSideOutput(Outputs.DEAD_LETTERS));
        if (appJobs != null) {
            deadLetters = deadLetters.union(appJobs.getSideOutput(Outputs.DEAD_LETTERS));
        }

        sinks.events(ingested);
        sinks.deadLetters(deadLetters);
        sinks.persons(ingested.getSideOutput(Outputs.PERSONS));
        sinks.distinctIds(ingested.getSideOutput(Outputs.DISTINCT_IDS));
        sinks.recordings(ingested.getSideOutput(Outputs.RECORDINGS));
        sinks.groups(ingested.getSideOutput(Outputs.GROUPS));
        sinks.pluginLogs(processed.getSideOutput(Outputs.PLUGIN_LOGS));
        sinks.captured(processed.getSideOutput(Outputs.CAPTURED));
    }
}
