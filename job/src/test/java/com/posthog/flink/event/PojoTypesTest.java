package com.posthog.flink.event;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import com.posthog.flink.ingestion.persons.PersonState;
import com.posthog.flink.plugin.ExportBuffer;
import com.posthog.flink.plugin.PendingJob;
import com.posthog.flink.plugin.services.PluginLogEntry;
import org.junit.jupiter.api.Test;

/** Every type that crosses operators is a POJO Flink serialises itself, never through Kryo. */
class PojoTypesTest {

    @Test
    void streamTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(KafkaMessage.class);
        assertSerializedAsPojoWithoutKryo(PipelineEvent.class);
        assertSerializedAsPojoWithoutKryo(IngestedEvent.class);
        assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        assertSerializedAsPojoWithoutKryo(PersonRow.class);
        assertSerializedAsPojoWithoutKryo(DistinctIdRow.class);
        assertSerializedAsPojoWithoutKryo(SessionRecording.class);
        assertSerializedAsPojoWithoutKryo(GroupRow.class);
        assertSerializedAsPojoWithoutKryo(PluginLogEntry.class);
    }

    @Test
    void stateTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(PersonState.class);
        assertSerializedAsPojoWithoutKryo(PendingJob.class);
        assertSerializedAsPojoWithoutKryo(ExportBuffer.class);
    }
}
