package com.posthog.flink.ingestion;

/** The event itself cannot be ingested; the message is the original server's error text. */
public final class IngestionException extends Exception {

    private static final long serialVersionUID = 1L;

    public IngestionException(String message) {
        super(message);
    }
}
