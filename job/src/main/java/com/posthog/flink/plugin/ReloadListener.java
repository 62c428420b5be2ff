package com.posthog.flink.plugin;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * Listens on the Redis channel the PostHog app publishes to when plugins change ({@code
 * PLUGINS_RELOAD_PUBSUB_CHANNEL}, spec §5), on its own daemon thread, and remembers that a reload
 * was asked for; the plugin stage takes the request on its own thread. Reconnects when Redis goes
 * away.
 */
final class ReloadListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadListener.class);

    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final JedisPubSub subscriber =
            new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    requested.set(true);
                }
            };

    ReloadListener(String redisUrl, String channel) {
        Thread thread =
                new Thread(
                        () -> {
                            while (running.get()) {
                                try (JedisPooled redis = new JedisPooled(URI.create(redisUrl))) {
                                    redis.subscribe(subscriber, channel);
                                } catch (Exception e) {
                                    if (running.get()) {
                                        LOG.warn(
                                                "Listening for plugin reloads on Redis failed, retrying: {}",
                                                e.getMessage());
                                        sleep();
                                    }
                                }
                            }
                        },
                        "plugin-reload-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether a reload was asked for since the last call. */
    boolean takeRequest() {
        return requested.getAndSet(false);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (subscriber.isSubscribed()) {
            subscriber.unsubscribe();
        }
    }
}
