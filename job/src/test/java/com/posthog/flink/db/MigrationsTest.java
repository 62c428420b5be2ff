package com.posthog.flink.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void statementsEndAtASemicolonThatEndsALineAndCommentsAreSkipped() {
        String sql =
                "-- a comment; with a semicolon\nCREATE TABLE a (\n  x int\n);\n\nSELECT 1;\nSELECT 2";

        assertThat(Migrations.statements(sql))
                .containsExactly("CREATE TABLE a (\n  x int\n)", "SELECT 1", "SELECT 2");
    }

    @Test
    void theShippedMigrationsAreFoundInVersionOrder() throws Exception {
        List<String> postgres = Migrations.files("sql/postgres/");
        List<String> clickHouse = Migrations.files("sql/clickhouse/");

        assertThat(postgres).isNotEmpty().isSorted().allMatch(name -> name.startsWith("V"));
        assertThat(postgres).doesNotContain("seed.sql");
        assertThat(clickHouse).isNotEmpty().isSorted();
    }

    @Test
    void everyShippedStatementIsIdempotent() throws Exception {
        for (String folder : List.of("sql/postgres/", "sql/clickhouse/")) {
            for (String file : Migrations.files(folder)) {
                for (String statement : Migrations.statements(Migrations.read(folder + file))) {
                    String upper = statement.toUpperCase(java.util.Locale.ROOT);
                    if (upper.startsWith("CREATE")) {
                        assertThat(upper).as(file + ": " + statement).contains("IF NOT EXISTS");
                    }
                    assertThat(upper)
                            .as(file)
                            .doesNotContain("DROP ")
                            .doesNotContain("ALTER COLUMN");
                }
            }
        }
    }
}
