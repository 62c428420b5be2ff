package com.posthog.flink.db;

/**
 * A database refused the content of a write (a bad value, not a broken connection). The rows go to
 * the dead letters, found one by one by splitting the batch.
 */
public final class RowsRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public RowsRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
