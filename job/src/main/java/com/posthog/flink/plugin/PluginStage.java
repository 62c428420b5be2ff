package com.posthog.flink.plugin;

import com.posthog.flink.event.PipelineEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The plugin stage, keyed by team: runs each team's {@code processEvent} chain. Until the plugin
 * runtime lands it passes every event through unchanged; its uid is already final.
 */
public class PluginStage extends KeyedProcessFunction<Long, PipelineEvent, PipelineEvent> {

    private transient Counter eventsIn;
    private transient Counter eventsOut;

    @Override
    public void open(OpenContext openContext) {
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        eventsOut = getRuntimeContext().getMetricGroup().counter("eventsOut");
    }

    @Override
    public void processElement(PipelineEvent event, Context ctx, Collector<PipelineEvent> out) {
        eventsIn.inc();
        out.collect(event);
        eventsOut.inc();
    }
}
