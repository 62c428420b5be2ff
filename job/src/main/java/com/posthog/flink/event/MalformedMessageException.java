package com.posthog.flink.event;

/** The message cannot become an event; its message names what is wrong with the message. */
public final class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
