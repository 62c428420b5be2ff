package com.posthog.flink.config;

/** A user mistake in the configuration; its message is one sentence that says what to fix. */
public final class InvalidSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String message) {
        super(message);
    }
}
