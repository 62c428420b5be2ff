package com.posthog.flink.sink;

import com.posthog.flink.event.DeadLetter;
import java.io.Serializable;

/** Describes a row a database refused as a dead letter. */
@FunctionalInterface
public interface RejectedRows<T> extends Serializable {

    DeadLetter deadLetter(T row, String reason, long now);
}
