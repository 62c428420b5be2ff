package com.posthog.flink.plugin.celery;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DeadLetters;
import com.posthog.flink.event.MalformedMessageException;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.pipeline.Uids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs the PostHog app starts from a plugin config page: {@code plugin_job} Celery tasks on the
 * Redis list {@code PLUGINS_CELERY_QUEUE} (spec §3.1), read every second by one subtask and sent as
 * {@link PipelineEvent#job} records, keyed by team with the events, to the plugin stage.
 *
 * <p>Nothing is lost: a message taken from the list waits in the in-flight list ({@link
 * InFlightQueue}) until the checkpoint that covers its record completes. On start, messages the
 * restored checkpoint covers leave the in-flight list and the rest go back to the queue, so a crash
 * repeats no job the restored state holds, and loses none it does not (at least once).
 */
public final class CeleryPluginJobs {

    static final long POLL_INTERVAL_MILLIS = 1_000;

    /** Messages taken per poll at most, so a flood cannot hold a checkpoint back. */
    static final int MAX_PER_POLL = 1_000;

    private CeleryPluginJobs() {}

    /** The job records; malformed messages and other tasks leave as dead letters. */
    public static SingleOutputStreamOperator<PipelineEvent> stream(
            StreamExecutionEnvironment env, Settings settings) {
        return Inputs.ticks(
                        env, POLL_INTERVAL_MILLIS, "Celery queue polls", Uids.CELERY_QUEUE_TICKS)
                .process(
                        new TakePluginJobs(
                                settings.redisUrl(),
                                settings.string(PluginServerOptions.PLUGINS_CELERY_QUEUE)))
                .returns(TypeInformation.of(PipelineEvent.class))
                .name("Celery plugin jobs")
                .uid(Uids.CELERY_PLUGIN_JOBS)
                .setParallelism(1);
    }

    /**
     * On each poll, takes the queue's messages and emits a job record per {@code plugin_job}; the
     * messages a completed checkpoint covers are acknowledged. Parallelism 1.
     */
    static final class TakePluginJobs extends ProcessFunction<Long, PipelineEvent>
            implements CheckpointedFunction, CheckpointListener {

        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(TakePluginJobs.class);

        /** Messages emitted before the last snapshot and not yet acknowledged. */
        static final ListStateDescriptor<String> UNACKNOWLEDGED =
                new ListStateDescriptor<>("celery-messages-to-acknowledge", Types.STRING);

        private final String redisUrl;
        private final String queue;

        private transient InFlightQueue messages;
        private transient ListState<String> unacknowledged;
        private transient List<String> sinceSnapshot;
        private transient NavigableMap<Long, List<String>> bySnapshot;
        private transient Counter deadLetters;

        TakePluginJobs(String redisUrl, String queue) {
            this.redisUrl = redisUrl;
            this.queue = queue;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            unacknowledged = context.getOperatorStateStore().getListState(UNACKNOWLEDGED);
            sinceSnapshot = new ArrayList<>();
            bySnapshot = new TreeMap<>();
            messages = new InFlightQueue(redisUrl, queue);
            // The restored state holds the jobs of these messages; the other messages in flight
            // were taken after it and go back to the queue.
            for (String message : unacknowledged.get()) {
                messages.acknowledge(message);
            }
            unacknowledged.clear();
            int requeued = messages.requeueInFlight();
            if (requeued > 0) {
                LOG.info(
                        "{} Celery messages taken after the restored checkpoint went back to {}",
                        requeued,
                        queue);
            }
        }

        @Override
        public void open(OpenContext openContext) {
            deadLetters =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("deadLetters")
                            .counter(DeadLetter.CELERY_LOCATION);
        }

        @Override
        public void processElement(Long poll, Context ctx, Collector<PipelineEvent> out) {
            for (int i = 0; i < MAX_PER_POLL; i++) {
                String message = messages.take();
                if (message == null) {
                    return;
                }
                sinceSnapshot.add(message);
                try {
                    out.collect(CeleryMessages.pluginJob(message));
                } catch (MalformedMessageException e) {
                    LOG.warn(
                            "Skipped a message of the Celery queue {} (sent to the dead letters): {}",
                            queue,
                            e.getMessage());
                    deadLetters.inc();
                    ctx.output(
                            Outputs.DEAD_LETTERS,
                            DeadLetters.celeryFailure(
                                    message,
                                    e.getMessage(),
                                    ctx.timerService().currentProcessingTime()));
                }
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            bySnapshot.put(context.getCheckpointId(), sinceSnapshot);
            sinceSnapshot = new ArrayList<>();
            List<String> all = new ArrayList<>();
            bySnapshot.values().forEach(all::addAll);
            unacknowledged.update(all);
        }

        /** The covered messages leave the in-flight list; a Redis failure retries next time. */
        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            NavigableMap<Long, List<String>> covered = bySnapshot.headMap(checkpointId, true);
            try {
                while (!covered.isEmpty()) {
                    Map.Entry<Long, List<String>> oldest = covered.firstEntry();
                    oldest.getValue().forEach(messages::acknowledge);
                    covered.remove(oldest.getKey());
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not acknowledge Celery messages in Redis, retrying after the next checkpoint: {}",
                        e.getMessage());
            }
        }

        @Override
        public void close() {
            if (messages != null) {
                messages.close();
            }
        }
    }
}
