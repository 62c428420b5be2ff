package com.posthog.flink.pipeline;

import com.posthog.flink.event.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs and job-wide counters (accumulators) shared by the stages. */
public final class Outputs {

    private Outputs() {}

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Accumulators summed over the whole job; the input-file mode prints them at the end. */
    public static final String LINES = "lines";

    public static final String INGESTED = "ingested";
    public static final String DROPPED = "dropped";
    public static final String DEAD_LETTER_COUNT = "dead_letters";
}
