package com.posthog.flink.plugin.services;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * UUIDT (spec §6.6): ids that sort by creation time, as the original made them for log entries and
 * other server-side rows. 48 bits of Unix milliseconds, a 16-bit sequence within the millisecond,
 * 64 random bits; no RFC version bits.
 */
public final class Uuidt {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Long, Integer> SERIES_PER_MS = new HashMap<>();

    private Uuidt() {}

    /** A new UUIDT for now, lowercase 8-4-4-4-12. */
    public static String next() {
        long now = System.currentTimeMillis();
        long high = (now & 0xFFFF_FFFF_FFFFL) << 16 | series(now);
        return new UUID(high, RANDOM.nextLong()).toString();
    }

    private static synchronized int series(long unixTimeMs) {
        int series = SERIES_PER_MS.getOrDefault(unixTimeMs, 0);
        if (SERIES_PER_MS.size() > 10_000) {
            SERIES_PER_MS.clear();
        }
        SERIES_PER_MS.put(unixTimeMs, (series + 1) % 65_536);
        return series;
    }
}
