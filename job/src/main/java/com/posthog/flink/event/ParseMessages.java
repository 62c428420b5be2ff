package com.posthog.flink.event;

import com.posthog.flink.pipeline.Outputs;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Parses Kafka messages into events; a malformed one becomes a dead letter. */
public class ParseMessages extends ProcessFunction<KafkaMessage, PipelineEvent> {

    private transient Counter eventsIn;
    private transient Counter eventsOut;
    private transient Counter deadLetters;
    private transient LongCounter lines;
    private transient LongCounter deadLetterCount;

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        eventsOut = metrics.counter("eventsOut");
        deadLetters = metrics.addGroup("deadLetters").counter(DeadLetter.PARSE_LOCATION);
        lines = getRuntimeContext().getLongCounter(Outputs.LINES);
        deadLetterCount = getRuntimeContext().getLongCounter(Outputs.DEAD_LETTER_COUNT);
    }

    @Override
    public void processElement(KafkaMessage message, Context ctx, Collector<PipelineEvent> out) {
        eventsIn.inc();
        lines.add(1);
        try {
            out.collect(MessageParser.parse(message.value, message.offset));
            eventsOut.inc();
        } catch (MalformedMessageException e) {
            deadLetters.inc();
            deadLetterCount.add(1);
            ctx.output(
                    Outputs.DEAD_LETTERS,
                    DeadLetters.parseFailure(
                            message.value,
                            message.offset,
                            e.getMessage(),
                            ctx.timerService().currentProcessingTime()));
        }
    }
}
