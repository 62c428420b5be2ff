package com.posthog.flink.health;

import com.posthog.flink.cli.Version;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.Uids;
import java.net.URI;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * Writes the health ping on every heartbeat (one each 5 s, from its own source), with the time of
 * the last completed checkpoint. A separate operator of parallelism 1, never chained to the plugin
 * stage, so a slow plugin call cannot starve the ping.
 */
public class HealthPingOperator extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<Long, Void> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HealthPingOperator.class);

    private final String redisUrl;

    private transient JedisPooled redis;
    private transient Long lastCheckpoint;

    public HealthPingOperator(String redisUrl) {
        this.redisUrl = redisUrl;
    }

    @Override
    public void open() throws Exception {
        super.open();
        redis = new JedisPooled(URI.create(redisUrl));
    }

    @Override
    public void processElement(StreamRecord<Long> heartbeat) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        try {
            redis.setex(
                    HealthPing.KEY, HealthPing.TTL_SECONDS, HealthPing.value(now, lastCheckpoint));
            redis.set(HealthPing.VERSION_KEY, Version.VERSION);
        } catch (RuntimeException e) {
            // A missing ping is what the health check reports; the job itself goes on.
            LOG.warn("Could not write the health ping to Redis: {}", e.getMessage());
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        lastCheckpoint = getProcessingTimeService().getCurrentProcessingTime();
    }

    @Override
    public void close() throws Exception {
        if (redis != null) {
            redis.close();
        }
        super.close();
    }

    /** A heartbeat every 5 s into the ping writer; both of parallelism 1 and on their own. */
    public static void attach(StreamExecutionEnvironment env, String redisUrl) {
        Inputs.ticks(
                        env,
                        HealthPing.INTERVAL_MILLIS,
                        "Health heartbeat",
                        Uids.HEALTH_PING + "-heartbeat")
                .transform("Health ping", Types.VOID, new HealthPingOperator(redisUrl))
                .uid(Uids.HEALTH_PING)
                .setParallelism(1)
                .disableChaining();
    }
}
