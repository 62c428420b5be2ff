package com.posthog.flink.sink;

import com.posthog.flink.db.RowsRejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer of {@link BatchingSink}; all its calls run on the task's mailbox thread. */
final class BatchingSinkWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingSinkWriter.class);

    /** Attempts at a batch when the database fails (not when it refuses rows). */
    private static final int ATTEMPTS = 4;

    private final String name;
    private final TableWriter<T> writer;
    private final RejectedRows<T> rejectedRows;
    private final DeadLetterPublisher deadLetters;
    private final int maxBatchSize;
    private final long flushIntervalMillis;
    private final ProcessingTimeService time;

    private final Histogram batchSize;
    private final Histogram latency;
    private final Counter deadLetterCount;

    private List<T> buffer = new ArrayList<>();
    private boolean timerPending;

    BatchingSinkWriter(
            String name,
            TableWriter<T> writer,
            RejectedRows<T> rejectedRows,
            DeadLetterPublisher deadLetters,
            int maxBatchSize,
            long flushIntervalMillis,
            WriterInitContext context) {
        this.name = name;
        this.writer = writer;
        this.rejectedRows = rejectedRows;
        this.deadLetters = deadLetters;
        this.maxBatchSize = maxBatchSize;
        this.flushIntervalMillis = flushIntervalMillis;
        this.time = context.getProcessingTimeService();
        var metrics = context.metricGroup();
        this.batchSize =
                metrics.histogram("sinkBatchSize", new DescriptiveStatisticsHistogram(500));
        this.latency = metrics.histogram("sinkLatencyMs", new DescriptiveStatisticsHistogram(500));
        this.deadLetterCount =
                metrics.addGroup("deadLetters")
                        .counter(com.posthog.flink.event.DeadLetter.SINK_LOCATION);
    }

    @Override
    public void write(T row, Context context) throws IOException {
        buffer.add(row);
        if (buffer.size() >= maxBatchSize) {
            flushBuffer();
        } else if (!timerPending) {
            timerPending = true;
            time.registerTimer(
                    time.getCurrentProcessingTime() + flushIntervalMillis,
                    timestamp -> {
                        timerPending = false;
                        flushBuffer();
                    });
        }
    }

    /** Called before each checkpoint and at the end of input: nothing stays buffered. */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        List<T> batch = buffer;
        buffer = new ArrayList<>();
        long start = System.currentTimeMillis();
        writeFindingRejected(batch);
        batchSize.update(batch.size());
        latency.update(System.currentTimeMillis() - start);
    }

    /**
     * Writes the batch; when the database refuses it, halves it until each refused row is alone.
     */
    private void writeFindingRejected(List<T> rows) throws IOException {
        try {
            writeWithRetries(rows);
        } catch (RowsRejectedException e) {
            if (rows.size() > 1) {
                int middle = rows.size() / 2;
                writeFindingRejected(rows.subList(0, middle));
                writeFindingRejected(rows.subList(middle, rows.size()));
            } else {
                reject(rows.get(0), e.getMessage());
            }
        }
    }

    private void reject(T row, String reason) throws IOException {
        deadLetterCount.inc();
        if (rejectedRows == null) {
            LOG.error("The {} sink refused a row and it is skipped: {} ({})", name, reason, row);
            return;
        }
        deadLetters.publish(rejectedRows.deadLetter(row, reason, System.currentTimeMillis()));
    }

    private void writeWithRetries(List<T> rows) throws IOException, RowsRejectedException {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(rows);
                return;
            } catch (RowsRejectedException e) {
                throw e;
            } catch (Exception e) {
                if (attempt == ATTEMPTS) {
                    throw new IOException(
                            "The "
                                    + name
                                    + " sink could not write after "
                                    + ATTEMPTS
                                    + " attempts: "
                                    + e.getMessage(),
                            e);
                }
                LOG.warn(
                        "The {} sink failed (attempt {} of {}): {}",
                        name,
                        attempt,
                        ATTEMPTS,
                        e.toString());
                sleep(1000L << (attempt - 1));
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            writer.close();
        } finally {
            if (deadLetters != null) {
                deadLetters.close();
            }
        }
    }
}
