package com.posthog.flink.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthPingTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long MAX_CHECKPOINT_AGE = 120_000;

    @Test
    void aFreshPingWithoutACheckpointYetIsHealthy() {
        assertThat(HealthPing.problem(HealthPing.value(NOW - 5_000, null), NOW, MAX_CHECKPOINT_AGE))
                .isNull();
    }

    @Test
    void aFreshPingWithARecentCheckpointIsHealthy() {
        String ping = HealthPing.value(NOW - 1_000, NOW - 60_000);

        assertThat(HealthPing.problem(ping, NOW, MAX_CHECKPOINT_AGE)).isNull();
    }

    @Test
    void reasonsWhenUnhealthy() {
        assertThat(HealthPing.problem(null, NOW, MAX_CHECKPOINT_AGE)).isEqualTo("no ping");
        assertThat(HealthPing.problem("garbage", NOW, MAX_CHECKPOINT_AGE)).isEqualTo("no ping");
        assertThat(
                        HealthPing.problem(
                                HealthPing.value(NOW - 31_000, null), NOW, MAX_CHECKPOINT_AGE))
                .isEqualTo("ping stale");
        assertThat(
                        HealthPing.problem(
                                HealthPing.value(NOW, NOW - 121_000), NOW, MAX_CHECKPOINT_AGE))
                .isEqualTo("checkpoint stale");
    }
}
