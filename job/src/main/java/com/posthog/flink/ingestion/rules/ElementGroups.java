package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * {@code createElementGroup} of the Postgres pipeline (spec §3.6, "Element group"): an event's
 * elements are stored once per team and distinct list, in {@code posthog_elementgroup} keyed by
 * {@link Elements#hash}, with one {@code posthog_element} row per element; the event row only keeps
 * the hash ({@code posthog_event.elements_hash}).
 *
 * <p>The group and its rows are written in one transaction, and only by whoever inserted the group,
 * so a group never has its rows twice, whatever runs concurrently or is replayed. A unique
 * violation (SQLSTATE 23505) is ignored as in the original: the group exists.
 */
public final class ElementGroups {

    static final String INSERT_GROUP =
            "INSERT INTO posthog_elementgroup (hash, team_id) VALUES (?, ?)"
                    + " ON CONFLICT DO NOTHING RETURNING id";

    private static final String INSERT_ELEMENTS =
            "INSERT INTO posthog_element (text, tag_name, href, attr_id, nth_child, nth_of_type,"
                    + " attributes, \"order\", event_id, attr_class, group_id) VALUES ";
    private static final String ELEMENT_VALUES =
            "(?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, NULL, ?, ?)";

    private static final int ELEMENTS_PER_STATEMENT = 1000;

    private ElementGroups() {}

    /**
     * Creates the team's group for these elements unless it exists, and returns its hash (the
     * event's {@code elements_hash}); {@code ""} without touching the database when there are no
     * elements, which is what the event stores then.
     */
    public static String createElementGroup(
            PostgresClient postgres, long teamId, List<Element> elements) throws SQLException {
        if (elements.isEmpty()) {
            return "";
        }
        String hash = Elements.hash(elements);
        try {
            postgres.execute(
                    connection -> {
                        boolean autoCommit = connection.getAutoCommit();
                        connection.setAutoCommit(false);
                        try {
                            insert(connection, teamId, hash, elements);
                            connection.commit();
                        } catch (SQLException | RuntimeException e) {
                            rollbackQuietly(connection);
                            throw e;
                        } finally {
                            restoreAutoCommit(connection, autoCommit);
                        }
                        return null;
                    });
        } catch (SQLException e) {
            if (!"23505".equals(PostgresClient.sqlState(e))) {
                throw e;
            }
        }
        return hash;
    }

    private static void insert(
            Connection connection, long teamId, String hash, List<Element> elements)
            throws SQLException {
        Integer groupId = null;
        try (PreparedStatement statement = connection.prepareStatement(INSERT_GROUP)) {
            statement.setString(1, hash);
            statement.setLong(2, teamId);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    groupId = rows.getInt(1);
                }
            }
        }
        if (groupId == null) {
            return;
        }
        // Postgres takes at most 65535 parameters per statement: large lists go in chunks.
        for (int from = 0; from < elements.size(); from += ELEMENTS_PER_STATEMENT) {
            insertElements(
                    connection,
                    groupId,
                    elements,
                    from,
                    Math.min(elements.size(), from + ELEMENTS_PER_STATEMENT));
        }
    }

    private static void insertElements(
            Connection connection, int groupId, List<Element> elements, int from, int to)
            throws SQLException {
        StringBuilder sql = new StringBuilder(INSERT_ELEMENTS);
        for (int i = from; i < to; i++) {
            sql.append(i == from ? "" : ", ").append(ELEMENT_VALUES);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int parameter = 1;
            for (int order = from; order < to; order++) {
                Element element = elements.get(order);
                statement.setString(parameter++, element.text());
                statement.setString(parameter++, element.tagName());
                statement.setString(parameter++, element.href());
                statement.setString(parameter++, element.attrId());
                setInteger(statement, parameter++, element.nthChild());
                setInteger(statement, parameter++, element.nthOfType());
                statement.setString(parameter++, attributesJson(element));
                statement.setInt(parameter++, order);
                if (element.attrClass() == null) {
                    statement.setNull(parameter++, Types.ARRAY);
                } else {
                    Array classes =
                            connection.createArrayOf(
                                    "varchar", element.attrClass().toArray(new String[0]));
                    statement.setArray(parameter++, classes);
                }
                statement.setInt(parameter++, groupId);
            }
            statement.executeUpdate();
        }
    }

    /** {@code attributes || '{}'}. */
    private static String attributesJson(Element element) {
        ObjectNode attributes = Json.MAPPER.createObjectNode();
        if (element.attributes() != null) {
            element.attributes().forEach(attributes::set);
        }
        return Json.write(attributes);
    }

    private static void setInteger(PreparedStatement statement, int parameter, Integer value)
            throws SQLException {
        if (value == null) {
            statement.setNull(parameter, Types.INTEGER);
        } else {
            statement.setInt(parameter, value);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection broke; PostgresClient replaces it.
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // As above: a broken connection is replaced before its next use.
        }
    }
}
