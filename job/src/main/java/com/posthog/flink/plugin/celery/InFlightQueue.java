package com.posthog.flink.plugin.celery;

import java.net.URI;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.args.ListDirection;

/**
 * A Redis list the app LPUSHes to, read oldest first, where each message taken moves atomically
 * (LMOVE) to the in-flight list {@code <queue>:in-flight} until it is acknowledged: a message is in
 * one of the two lists until the job holds it for good.
 */
final class InFlightQueue implements AutoCloseable {

    private final JedisPooled redis;
    private final String queue;
    private final String inFlight;

    InFlightQueue(String redisUrl, String queue) {
        this.redis = new JedisPooled(URI.create(redisUrl));
        this.queue = queue;
        this.inFlight = inFlightKey(queue);
    }

    static String inFlightKey(String queue) {
        return queue + ":in-flight";
    }

    /** The oldest message, now in flight; null when the queue is empty. */
    String take() {
        return redis.lmove(queue, inFlight, ListDirection.RIGHT, ListDirection.LEFT);
    }

    /** The message is held elsewhere now: it leaves the in-flight list. */
    void acknowledge(String message) {
        redis.lrem(inFlight, 1, message);
    }

    /**
     * Puts every message still in flight back at the head of the queue, in the order they were
     * taken, so they are taken again first.
     *
     * @return how many went back
     */
    int requeueInFlight() {
        int count = 0;
        while (redis.lmove(inFlight, queue, ListDirection.LEFT, ListDirection.RIGHT) != null) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        redis.close();
    }
}
