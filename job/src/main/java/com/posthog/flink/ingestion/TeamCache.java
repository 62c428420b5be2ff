package com.posthog.flink.ingestion;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Teams by id for 30 seconds, unknown teams included, as the original's team manager (spec §3.6
 * step 3): a team created in the app is seen within half a minute.
 */
public final class TeamCache {

    static final long TTL_MILLIS = 30_000;

    private final TeamStore store;
    private final LongSupplier clock;
    private final Map<Long, Entry> entries = new HashMap<>();

    private record Entry(Optional<Team> team, long loadedAt) {}

    public TeamCache(TeamStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    public Optional<Team> get(long teamId) throws Exception {
        long now = clock.getAsLong();
        Entry entry = entries.get(teamId);
        if (entry == null || now - entry.loadedAt >= TTL_MILLIS) {
            entry = new Entry(store.fetch(teamId), now);
            entries.put(teamId, entry);
        }
        return entry.team;
    }
}
