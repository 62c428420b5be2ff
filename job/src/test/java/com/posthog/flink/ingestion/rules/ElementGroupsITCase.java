package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Element groups against the real Postgres (scenario 47, and the hashes of 13 and 16). */
class ElementGroupsITCase {

    private static TestServices services;
    private static PostgresClient postgres;

    @BeforeAll
    static void freshDatabases() throws Exception {
        services = TestServices.fromEnvironment();
        services.freshDatabases();
        postgres = new PostgresClient(services.postgres());
    }

    @AfterAll
    static void close() {
        postgres.close();
    }

    @BeforeEach
    void noElements() throws Exception {
        postgres.execute(
                connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("DELETE FROM posthog_element");
                        statement.execute("DELETE FROM posthog_elementgroup");
                    }
                    return null;
                });
    }

    private static List<String> rows(String sql) throws Exception {
        return postgres.execute(
                connection -> {
                    List<String> rows = new ArrayList<>();
                    try (PreparedStatement statement = connection.prepareStatement(sql);
                            ResultSet result = statement.executeQuery()) {
                        while (result.next()) {
                            rows.add(result.getString(1));
                        }
                    }
                    return rows;
                });
    }

    @Test
    void scenario47OneGroupPerTeamAndHash() throws Exception {
        List<Element> elements = List.of(Element.of("button", "Sign up!"), Element.of("div", null));

        String hash = ElementGroups.createElementGroup(postgres, 2, elements);
        assertThat(ElementGroups.createElementGroup(postgres, 2, List.copyOf(elements)))
                .isEqualTo(hash);

        assertThat(hash).isEqualTo(Elements.hash(elements));
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_elementgroup"))
                .isEqualTo(1);
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_element")).isEqualTo(2);
        assertThat(
                        rows(
                                "SELECT e.\"order\" || ':' || e.tag_name || ':' || coalesce(e.text, 'null')"
                                        + " || ':' || e.attributes::text || ':' || (e.event_id IS NULL)"
                                        + " || ':' || (e.attr_class IS NULL) || ':' || (e.nth_child IS NULL)"
                                        + " || ':' || g.hash || ':' || g.team_id"
                                        + " FROM posthog_element e JOIN posthog_elementgroup g"
                                        + " ON g.id = e.group_id ORDER BY e.\"order\""))
                .containsExactly(
                        "0:button:Sign up!:{}:true:true:true:" + hash + ":2",
                        "1:div:null:{}:true:true:true:" + hash + ":2");

        assertThat(ElementGroups.createElementGroup(postgres, 3, elements)).isEqualTo(hash);
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_elementgroup"))
                .isEqualTo(2);
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_element")).isEqualTo(4);
        // The connection is left in autocommit mode for its other users.
        boolean autoCommit = postgres.execute(connection -> connection.getAutoCommit());
        assertThat(autoCommit).isTrue();
    }

    @Test
    void extractedElementsAreStoredWithEveryColumn() throws Exception {
        String long2050 = "a".repeat(2050);
        List<Element> elements =
                Elements.extract(
                        Json.parse(
                                "[{\"tag_name\": \"a\", \"nth_child\": 1, \"nth_of_type\": 2,"
                                        + " \"attr__class\": \"btn-sm btn\", \"attr__id\": \"go\","
                                        + " \"attr__href\": \""
                                        + long2050
                                        + "\"},"
                                        + " {\"tag_name\": \"div\", \"$el_text\": \"\\ud83d\\udcbb\"}]"));

        String hash = ElementGroups.createElementGroup(postgres, 2, elements);

        assertThat(hash).isEqualTo(Elements.hash(elements));
        assertThat(
                        rows(
                                "SELECT \"order\" || '|' || coalesce(text, 'null') || '|' || tag_name"
                                        + " || '|' || coalesce(length(href)::text, 'null') || '|'"
                                        + " || coalesce(attr_id, 'null') || '|'"
                                        + " || coalesce(nth_child::text, 'null') || '|'"
                                        + " || coalesce(nth_of_type::text, 'null') || '|'"
                                        + " || coalesce(attr_class::text, 'null') || '|'"
                                        + " || coalesce(length(attributes ->> 'attr__href')::text, 'null')"
                                        + " || '|'"
                                        + " || (attributes - 'attr__href')::text"
                                        + " FROM posthog_element ORDER BY \"order\""))
                .containsExactly(
                        "0|null|a|2048|go|1|2|{btn,btn-sm}|2050|{\"attr__id\": \"go\", \"attr__class\": \"btn-sm btn\"}",
                        "1|\ud83d\udcbb|div|null|null|null|null|null|null|{}");
    }

    @Test
    void concurrentWritersCreateTheGroupOnce() throws Exception {
        List<Element> elements =
                List.of(
                        Element.of("span", "race"),
                        Element.of("p", null),
                        Element.of("body", null));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<PostgresClient> clients = new ArrayList<>();
        try {
            List<Callable<String>> writers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                PostgresClient client = new PostgresClient(services.postgres());
                clients.add(client);
                writers.add(() -> ElementGroups.createElementGroup(client, 2, elements));
            }
            Set<String> hashes = new HashSet<>();
            for (Future<String> result : pool.invokeAll(writers)) {
                hashes.add(result.get());
            }

            assertThat(hashes).containsExactly(Elements.hash(elements));
            assertThat(services.postgresCount("SELECT count(*) FROM posthog_elementgroup"))
                    .isEqualTo(1);
            assertThat(services.postgresCount("SELECT count(*) FROM posthog_element")).isEqualTo(3);
        } finally {
            pool.shutdownNow();
            clients.forEach(PostgresClient::close);
        }
    }

    @Test
    void noElementsNoGroup() throws Exception {
        assertThat(ElementGroups.createElementGroup(postgres, 2, List.of())).isEmpty();
        assertThat(services.postgresCount("SELECT count(*) FROM posthog_elementgroup")).isZero();
    }
}
