package com.posthog.flink.plugin.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default credentials of {@code posthog.api} (spec §2.4): the team's {@code api_token}, and a
 * personal API key of the organization's bot user ({@code <random>@posthogbot.user}, "Plugins API
 * User [Bot]", a member at level 1, key label {@code autogen}, value {@code phx_<random>}), created
 * on first use; both are cached for 30 seconds. Creation holds a transaction-scoped advisory lock
 * on the organization, so two subtasks never create two bots.
 */
public final class PluginApiKeys {

    private static final long CACHE_MILLIS = 30_000;
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final PostgresClient postgres;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Cached> byTeam = new ConcurrentHashMap<>();

    private record Cached(String json, long until) {}

    public PluginApiKeys(PostgresClient postgres) {
        this.postgres = postgres;
    }

    /**
     * {@code {"token": <team api_token>, "personalApiKey": <bot key>}} as JSON text, cached per
     * team for 30 seconds, so a plugin calling {@code posthog.api} per event reads Postgres at most
     * every 30 seconds.
     */
    public String credentials(long teamId) throws SQLException {
        long now = System.currentTimeMillis();
        Cached cached = byTeam.get(teamId);
        if (cached != null && cached.until() > now) {
            return cached.json();
        }
        String[] team =
                postgres.execute(
                        c -> {
                            try (PreparedStatement s =
                                    c.prepareStatement(
                                            "SELECT api_token, organization_id::text FROM posthog_team WHERE id = ?")) {
                                s.setLong(1, teamId);
                                try (ResultSet rows = s.executeQuery()) {
                                    return rows.next()
                                            ? new String[] {rows.getString(1), rows.getString(2)}
                                            : null;
                                }
                            }
                        });
        if (team == null) {
            throw new IllegalStateException("Team " + teamId + " does not exist.");
        }
        String key =
                postgres.execute(
                        c -> {
                            String[] found = new String[1];
                            PostgresClient.inTransaction(
                                    c, () -> found[0] = fetchOrCreate(c, team[1]));
                            return found[0];
                        });
        ObjectNode credentials = Json.MAPPER.createObjectNode();
        credentials.put("token", team[0]);
        credentials.put("personalApiKey", key);
        String json = Json.write(credentials);
        byTeam.put(teamId, new Cached(json, now + CACHE_MILLIS));
        return json;
    }

    private String fetchOrCreate(Connection c, String organizationId) throws SQLException {
        try (PreparedStatement lock =
                c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "posthog-plugins-api-user:" + organizationId);
            lock.execute();
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT k.value FROM posthog_user u JOIN posthog_personalapikey k ON k.user_id = u.id"
                                + " WHERE u.current_organization_id = ?::uuid AND u.email LIKE '%@posthogbot.user'"
                                + " ORDER BY k.created_at LIMIT 1")) {
            s.setString(1, organizationId);
            try (ResultSet rows = s.executeQuery()) {
                if (rows.next()) {
                    return rows.getString(1);
                }
            }
        }
        String botId = Long.toString(1 + random.nextLong(100_000_000L));
        long userId;
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO posthog_user (password, first_name, last_name, email, uuid, distinct_id,"
                                + " is_staff, is_active, current_organization_id)"
                                + " VALUES (?, 'Plugins API User [Bot]', '', ?, ?::uuid, ?, false, true, ?::uuid)"
                                + " RETURNING id")) {
            s.setString(1, "!" + token(40)); // Django's unusable password
            s.setString(2, botId + "@posthogbot.user");
            s.setString(3, UUID.randomUUID().toString());
            s.setString(4, token(43));
            s.setString(5, organizationId);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                userId = rows.getLong(1);
            }
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO posthog_organizationmembership (id, organization_id, user_id, level)"
                                + " VALUES (?::uuid, ?::uuid, ?, 1)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, organizationId);
            s.setLong(3, userId);
            s.executeUpdate();
        }
        String key = "phx_" + token(43);
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO posthog_personalapikey (id, label, value, user_id) VALUES (?, 'autogen', ?, ?)")) {
            s.setString(1, token(32));
            s.setString(2, key);
            s.setLong(3, userId);
            s.executeUpdate();
        }
        return key;
    }

    private String token(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }
}
