package com.posthog.flink.pipeline;

import com.posthog.flink.config.Settings;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.ParseMessages;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.ingestion.IngestionStage;
import com.posthog.flink.plugin.PluginStage;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The topology of DESIGN.md, built from a given input and given outputs so that the job and its
 * tests run the same graph:
 *
 * <pre>
 * messages ─parse─▶ keyBy team ─▶ plugin stage ─▶ keyBy team ─▶ ingestion stage ─▶ events
 *             └──────────────── dead letters (parse, ingestion) ────────────────▶ dead letters
 * </pre>
 */
public final class PluginServerJob {

    private PluginServerJob() {}

    public static void defineWorkflow(
            DataStream<KafkaMessage> messages, Settings settings, SinkAppliers sinks) {
        SingleOutputStreamOperator<PipelineEvent> parsed =
                messages.process(new ParseMessages()).name("Parse message").uid(Uids.PARSE);

        SingleOutputStreamOperator<PipelineEvent> processed =
                parsed.keyBy(event -> event.teamId)
                        .process(new PluginStage())
                        .name("Plugins")
                        .uid(Uids.PLUGIN_STAGE);

        SingleOutputStreamOperator<IngestedEvent> ingested =
                processed
                        .keyBy(event -> event.teamId)
                        .process(new IngestionStage(settings))
                        .name("Ingestion")
                        .uid(Uids.INGESTION_STAGE);

        DataStream<DeadLetter> deadLetters =
                parsed.getSideOutput(Outputs.DEAD_LETTERS)
                        .union(ingested.getSideOutput(Outputs.DEAD_LETTERS));

        sinks.events(ingested);
        sinks.deadLetters(deadLetters);
    }
}
