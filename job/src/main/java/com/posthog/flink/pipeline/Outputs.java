package com.posthog.flink.pipeline;

import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DistinctIdRow;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.PersonRow;
import com.posthog.flink.event.SessionRecording;
import com.posthog.flink.plugin.services.PluginLogEntry;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs and job-wide counters (accumulators) shared by the stages. */
public final class Outputs {

    private Outputs() {}

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    public static final OutputTag<PersonRow> PERSONS =
            new OutputTag<>("persons", TypeInformation.of(PersonRow.class));

    public static final OutputTag<DistinctIdRow> DISTINCT_IDS =
            new OutputTag<>("distinct-ids", TypeInformation.of(DistinctIdRow.class));

    public static final OutputTag<SessionRecording> RECORDINGS =
            new OutputTag<>("session-recordings", TypeInformation.of(SessionRecording.class));

    public static final OutputTag<GroupRow> GROUPS =
            new OutputTag<>("groups", TypeInformation.of(GroupRow.class));

    public static final OutputTag<PluginLogEntry> PLUGIN_LOGS =
            new OutputTag<>("plugin-log-entries", TypeInformation.of(PluginLogEntry.class));

    /** Events plugins captured: they re-enter {@code KAFKA_CONSUMPTION_TOPIC}. */
    public static final OutputTag<KafkaMessage> CAPTURED =
            new OutputTag<>("captured-events", TypeInformation.of(KafkaMessage.class));

    /** Accumulators summed over the whole job; the input-file mode prints them at the end. */
    public static final String LINES = "lines";

    public static final String INGESTED = "ingested";
    public static final String DROPPED = "dropped";
    public static final String DEAD_LETTER_COUNT = "dead_letters";
}
