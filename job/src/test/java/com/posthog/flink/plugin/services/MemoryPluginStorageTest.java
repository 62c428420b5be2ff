package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryPluginStorageTest {

    private final MemoryPluginStorage storage = new MemoryPluginStorage();

    @Test
    void roundTripPerConfig() {
        storage.set(1, "b", "2");
        storage.set(1, "a", "\"one\"");
        storage.set(1, "a", "\"uno\"");
        storage.set(2, "a", "true");

        assertThat(storage.get(1, "a")).isEqualTo("\"uno\"");
        assertThat(storage.get(3, "a")).isNull();
        assertThat(storage.entries(1)).isEqualTo(Map.of("a", "\"uno\"", "b", "2"));

        storage.del(1, "a");
        storage.del(3, "a");

        assertThat(storage.get(1, "a")).isNull();
        assertThat(storage.get(2, "a")).isEqualTo("true");
    }
}
