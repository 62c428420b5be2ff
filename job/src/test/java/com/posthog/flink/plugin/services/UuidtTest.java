package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UuidtTest {

    @Test
    void isLowercaseUuidTextWithTheTimeInFront() {
        long before = System.currentTimeMillis();
        String id = Uuidt.next();
        long after = System.currentTimeMillis();

        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        long time = Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16);
        assertThat(time).isBetween(before, after);
    }

    @Test
    void idsOfOneMillisecondCountUpAndSortByCreation() {
        List<String> ids = IntStream.range(0, 2000).mapToObj(i -> Uuidt.next()).toList();

        Set<String> unique = new HashSet<>(ids);
        assertThat(unique).hasSize(ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).substring(0, 18)).isGreaterThan(ids.get(i - 1).substring(0, 18));
        }
    }
}
