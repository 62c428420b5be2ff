package com.posthog.flink.event;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.api.Test;

/** Every type that crosses operators is a POJO Flink serialises itself, never through Kryo. */
class PojoTypesTest {

    @Test
    void streamTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(KafkaMessage.class);
        assertSerializedAsPojoWithoutKryo(PipelineEvent.class);
        assertSerializedAsPojoWithoutKryo(IngestedEvent.class);
        assertSerializedAsPojoWithoutKryo(DeadLetter.class);
    }
}
