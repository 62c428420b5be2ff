package com.posthog.flink.ingestion.rules;

import com.posthog.flink.db.PostgresClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Group types in {@code posthog_grouptypemapping}, as the original's {@code GroupTypeManager}
 * handles them (spec §3.10), with its 30-second per-team cache.
 *
 * <p>A new type is inserted at the index "number of types known", and if another type took that
 * index meanwhile (another subtask, another server) the insert does nothing and the next index is
 * tried, up to the limit. The unique keys of the table make this safe under concurrency: a type
 * gets exactly one index, and two types never share one. The cache only saves queries; it is
 * dropped after an insert and can be dropped by hand ({@link #invalidate}).
 */
public final class PostgresGroupTypes implements GroupTypes {

    /** How long a team's types are cached, as in the original. */
    public static final long CACHE_MILLIS = 30_000;

    static final String SELECT_GROUP_TYPES =
            "SELECT group_type, group_type_index FROM posthog_grouptypemapping WHERE team_id = ?";

    /**
     * Inserts at the given index unless the type or the index is taken, and returns the type's
     * index either way; no row when the index belongs to another type.
     */
    static final String INSERT_GROUP_TYPE =
            "WITH insert_result AS ("
                    + " INSERT INTO posthog_grouptypemapping (team_id, group_type, group_type_index)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING group_type_index)"
                    + " SELECT group_type_index FROM insert_result"
                    + " UNION"
                    + " SELECT group_type_index FROM posthog_grouptypemapping"
                    + " WHERE team_id = ? AND group_type = ?";

    private record Cached(Map<String, Integer> types, long loadedAt) {}

    private final PostgresClient postgres;
    private final LongSupplier clock;
    private final Map<Long, Cached> cache = new HashMap<>();

    public PostgresGroupTypes(PostgresClient postgres) {
        this(postgres, System::currentTimeMillis);
    }

    public PostgresGroupTypes(PostgresClient postgres, LongSupplier clock) {
        this.postgres = postgres;
        this.clock = clock;
    }

    @Override
    public Integer fetchGroupTypeIndex(long teamId, String groupType) throws SQLException {
        Map<String, Integer> types = fetchGroupTypes(teamId);
        Integer known = types.get(groupType);
        if (known != null) {
            return known;
        }
        Integer index = insertGroupType(teamId, groupType, types.size());
        if (index != null) {
            invalidate(teamId);
        }
        return index;
    }

    /** The team's types and their indexes, from the cache when it is at most 30 s old. */
    public Map<String, Integer> fetchGroupTypes(long teamId) throws SQLException {
        long now = clock.getAsLong();
        Cached cached = cache.get(teamId);
        if (cached != null && now - cached.loadedAt() <= CACHE_MILLIS) {
            return cached.types();
        }
        Map<String, Integer> types =
                postgres.execute(
                        connection -> {
                            Map<String, Integer> loaded = new HashMap<>();
                            try (PreparedStatement statement =
                                    connection.prepareStatement(SELECT_GROUP_TYPES)) {
                                statement.setLong(1, teamId);
                                try (ResultSet rows = statement.executeQuery()) {
                                    while (rows.next()) {
                                        loaded.put(rows.getString(1), rows.getInt(2));
                                    }
                                }
                            }
                            return loaded;
                        });
        cache.put(teamId, new Cached(Map.copyOf(types), now));
        return cache.get(teamId).types();
    }

    /**
     * {@code insertGroupType}: tries {@code index}, then the following ones, until the type has an
     * index; {@code null} once the index reaches {@value GroupTypes#MAX_GROUP_TYPES_PER_TEAM}.
     */
    public Integer insertGroupType(long teamId, String groupType, int index) throws SQLException {
        for (int candidate = index; candidate < MAX_GROUP_TYPES_PER_TEAM; candidate++) {
            int attempt = candidate;
            Integer result =
                    postgres.execute(
                            connection -> {
                                try (PreparedStatement statement =
                                        connection.prepareStatement(INSERT_GROUP_TYPE)) {
                                    statement.setLong(1, teamId);
                                    statement.setString(2, groupType);
                                    statement.setInt(3, attempt);
                                    statement.setLong(4, teamId);
                                    statement.setString(5, groupType);
                                    try (ResultSet rows = statement.executeQuery()) {
                                        return rows.next() ? rows.getInt(1) : null;
                                    }
                                }
                            });
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /** Forgets a team's cached types, e.g. when another operator added one. */
    public void invalidate(long teamId) {
        cache.remove(teamId);
    }

    public void invalidateAll() {
        cache.clear();
    }
}
