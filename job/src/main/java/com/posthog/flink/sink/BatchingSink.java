package com.posthog.flink.sink;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that writes rows in batches through a {@link TableWriter}: on size, after a time, and
 * before every checkpoint (so a completed checkpoint means the rows are in the database). Rows the
 * database refuses are found by splitting the batch and become dead letters.
 */
public final class BatchingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final TableWriter.Factory<T> writer;
    private final RejectedRows<T> rejectedRows;
    private final DeadLetterPublisher.Factory deadLetters;
    private final int maxBatchSize;
    private final long flushIntervalMillis;

    /**
     * @param rejectedRows how a refused row becomes a dead letter, or null to log and skip it (only
     *     for the dead-letter table itself, whose rows also went to Kafka)
     */
    public BatchingSink(
            String name,
            TableWriter.Factory<T> writer,
            RejectedRows<T> rejectedRows,
            DeadLetterPublisher.Factory deadLetters,
            int maxBatchSize,
            long flushIntervalMillis) {
        if (maxBatchSize < 1 || flushIntervalMillis < 1) {
            throw new IllegalArgumentException("batch size and flush interval must be positive");
        }
        if ((rejectedRows == null) != (deadLetters == null)) {
            throw new IllegalArgumentException("rejected rows need a dead-letter publisher");
        }
        this.name = name;
        this.writer = writer;
        this.rejectedRows = rejectedRows;
        this.deadLetters = deadLetters;
        this.maxBatchSize = maxBatchSize;
        this.flushIntervalMillis = flushIntervalMillis;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        try {
            return new BatchingSinkWriter<>(
                    name,
                    writer.create(),
                    rejectedRows,
                    deadLetters == null ? null : deadLetters.create(),
                    maxBatchSize,
                    flushIntervalMillis,
                    context);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not open the " + name + " sink: " + e.getMessage(), e);
        }
    }
}
