package com.posthog.flink.ingestion;

import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DeadLetters;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Outputs;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ingestion stage, keyed by team: applies {@link EventIngester} to each event; an event at
 * fault becomes a dead letter and the stream goes on.
 */
public class IngestionStage extends KeyedProcessFunction<Long, PipelineEvent, IngestedEvent> {

    private final TeamStore.Factory teams;

    private transient TeamStore teamStore;
    private transient EventIngester ingester;
    private transient Counter eventsIn;
    private transient Counter eventsOut;
    private transient Counter deadLetters;
    private transient LongCounter ingested;
    private transient LongCounter deadLetterCount;

    public IngestionStage(TeamStore.Factory teams) {
        this.teams = teams;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        teamStore = teams.open();
        ingester = new EventIngester(new TeamCache(teamStore, System::currentTimeMillis));
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        eventsOut = metrics.counter("eventsOut");
        deadLetters = metrics.addGroup("deadLetters").counter(DeadLetter.INGEST_LOCATION);
        ingested = getRuntimeContext().getLongCounter(Outputs.INGESTED);
        deadLetterCount = getRuntimeContext().getLongCounter(Outputs.DEAD_LETTER_COUNT);
    }

    @Override
    public void processElement(PipelineEvent event, Context ctx, Collector<IngestedEvent> out)
            throws Exception {
        eventsIn.inc();
        long now = ctx.timerService().currentProcessingTime();
        try {
            out.collect(ingester.ingest(event, now));
            eventsOut.inc();
            ingested.add(1);
        } catch (IngestionException e) {
            deadLetters.inc();
            deadLetterCount.add(1);
            ctx.output(Outputs.DEAD_LETTERS, DeadLetters.ingestFailure(event, e.getMessage(), now));
        }
    }

    @Override
    public void close() throws Exception {
        if (teamStore != null) {
            teamStore.close();
        }
    }
}
