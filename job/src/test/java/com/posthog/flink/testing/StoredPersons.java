package com.posthog.flink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Team 2's persons in Postgres as tests compare them: by their distinct ids in order (joined by
 * commas), ignoring ids, uuids and wall-clock times.
 */
public final class StoredPersons {

    /** A person's properties (in any key order) and whether it is identified. */
    public record Person(JsonNode properties, boolean identified) {

        public static Person of(String properties, boolean identified) {
            try {
                return new Person(Json.parse(properties), identified);
            } catch (Exception e) {
                throw new IllegalArgumentException(properties, e);
            }
        }
    }

    private StoredPersons() {}

    public static Map<String, Person> read(TestServices services) throws Exception {
        Map<String, Person> persons = new TreeMap<>();
        try (PostgresClient postgres = new PostgresClient(services.postgres())) {
            postgres.execute(
                    c -> {
                        try (Statement s = c.createStatement();
                                ResultSet rows =
                                        s.executeQuery(
                                                "SELECT p.properties, p.is_identified,"
                                                        + " array_to_string(array_agg(d.distinct_id ORDER BY d.id), ',')"
                                                        + " FROM posthog_person p JOIN posthog_persondistinctid d ON d.person_id = p.id"
                                                        + " WHERE p.team_id = 2 GROUP BY p.id")) {
                            while (rows.next()) {
                                persons.put(
                                        rows.getString(3),
                                        Person.of(rows.getString(1), rows.getBoolean(2)));
                            }
                        }
                        return null;
                    });
        }
        return persons;
    }
}
