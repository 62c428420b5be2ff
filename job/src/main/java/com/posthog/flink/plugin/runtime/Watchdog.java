package com.posthog.flink.plugin.runtime;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.Context;

/**
 * Stops JavaScript that runs too long or allocates too much, leaving its context usable.
 *
 * <p>The original only stopped waiting for a slow plugin, which kept running (spec §1.4); here
 * {@link Context#interrupt} really stops it. GraalJS community has no CPU-time or heap limits
 * ({@code sandbox.*} options are Enterprise-only), so one daemon thread polls every watched call
 * every {@value #POLL_MILLIS} ms: its deadline, and the bytes its thread allocated since the call
 * began ({@link ThreadMXBean#getThreadAllocatedBytes}). Allocation, not heap use, is what a thread
 * can be charged with; it over-counts garbage, which is why the limit is generous.
 *
 * <p>An interrupt only lands when the thread is in JavaScript: one blocked in a service call is
 * interrupted (Java interruption) and stopped when it returns, so the interrupt is retried on every
 * poll until the call ends. The thread exits after ten idle seconds, so a cancelled Flink job
 * leaves no thread behind, yet calls in quick succession do not each start one.
 */
final class Watchdog {

    static final long POLL_MILLIS = 5;

    private static final Duration INTERRUPT_WAIT = Duration.ofMillis(50);
    private static final long IDLE_EXIT_NANOS = 10_000_000_000L;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Set<Guard> WATCHED = ConcurrentHashMap.newKeySet();
    private static boolean running; // guarded by Watchdog.class

    private Watchdog() {}

    /** Why a call was stopped. */
    enum Breach {
        TIME,
        MEMORY
    }

    /**
     * Starts watching the calling thread's work in {@code context} until the guard is closed.
     *
     * @param memoryLimitBytes allocation limit, or {@link Long#MAX_VALUE} for none
     */
    static Guard watch(Context context, Duration timeout, long memoryLimitBytes) {
        Guard guard = new Guard(context, timeout, memoryLimitBytes);
        WATCHED.add(guard);
        synchronized (Watchdog.class) {
            if (!running) {
                running = true;
                Thread thread = new Thread(Watchdog::poll, "plugin-watchdog");
                thread.setDaemon(true);
                thread.start();
            }
        }
        return guard;
    }

    private static void poll() {
        long idleSince = System.nanoTime();
        while (true) {
            if (!WATCHED.isEmpty()) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > IDLE_EXIT_NANOS) {
                synchronized (Watchdog.class) {
                    if (WATCHED.isEmpty()) {
                        running = false;
                        return;
                    }
                }
            }
            for (Guard guard : WATCHED) {
                try {
                    guard.check();
                } catch (RuntimeException e) {
                    // The context was closed meanwhile: nothing left to stop.
                }
            }
            LockSupport.parkNanos(POLL_MILLIS * 1_000_000);
        }
    }

    /** Work that may throw. */
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * One watched stretch of work on one thread; close it when the work ends. Its state is guarded
     * by its lock, which the watchdog holds while it interrupts: so an interrupt never reaches work
     * that is paused or over.
     */
    static final class Guard implements AutoCloseable {

        private final Context context;
        private final long threadId = Thread.currentThread().getId();
        private final long memoryLimitBytes;
        private long deadlineNanos;
        private long allocatedAtStart;
        private boolean paused;
        private boolean closed;
        private Breach breach;

        private Guard(Context context, Duration timeout, long memoryLimitBytes) {
            this.context = context;
            this.memoryLimitBytes = memoryLimitBytes;
            this.deadlineNanos = System.nanoTime() + timeout.toNanos();
            this.allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
        }

        /** The time left before the deadline, zero once it passed. */
        synchronized Duration remaining() {
            return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        }

        /** What stopped the work, or null. */
        synchronized Breach breach() {
            return breach;
        }

        /**
         * Runs work that is not the plugin's, such as transpiling a file it requires, without
         * charging its time or allocation to the plugin.
         */
        <T, E extends Exception> T unwatched(Work<T, E> work) throws E {
            long startNanos = System.nanoTime();
            long startBytes = THREADS.getThreadAllocatedBytes(threadId);
            synchronized (this) {
                paused = true;
            }
            try {
                return work.run();
            } finally {
                synchronized (this) {
                    deadlineNanos += System.nanoTime() - startNanos;
                    allocatedAtStart += THREADS.getThreadAllocatedBytes(threadId) - startBytes;
                    paused = false;
                }
            }
        }

        private synchronized void check() {
            if (closed || paused) {
                return;
            }
            if (breach == null && System.nanoTime() - deadlineNanos > 0) {
                breach = Breach.TIME;
            } else if (breach == null
                    && THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart
                            > memoryLimitBytes) {
                breach = Breach.MEMORY;
            }
            if (breach != null) {
                try {
                    context.interrupt(INTERRUPT_WAIT);
                } catch (TimeoutException e) {
                    // Not back in JavaScript yet (a service call): try again next poll.
                }
            }
        }

        /**
         * Stops watching. After a breach it also clears the thread's interrupt flag, which the
         * interrupt may have set, so the caller (a Flink task thread) does not see it.
         */
        @Override
        public void close() {
            Breach stoppedFor;
            synchronized (this) {
                closed = true;
                stoppedFor = breach;
            }
            WATCHED.remove(this);
            if (stoppedFor != null) {
                Thread.interrupted();
            }
        }
    }
}
