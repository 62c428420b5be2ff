package com.posthog.flink.db;

import com.posthog.flink.config.Settings.PostgresConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned migrations under {@code sql/postgres/} and {@code sql/clickhouse/} (shipped
 * in the jar), each file once, recorded in a {@code posthog_flink_migrations} table. Every
 * statement is idempotent as well, so a partly applied file can simply run again.
 *
 * <p>File format: statements end with {@code ;} at the end of a line; whole-line {@code --}
 * comments.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String POSTGRES = "sql/postgres/";
    private static final String CLICKHOUSE = "sql/clickhouse/";

    private Migrations() {}

    /** Applies the Postgres migrations, creating the database first if it does not exist. */
    public static List<String> migratePostgres(PostgresConnection connection) throws Exception {
        createPostgresDatabaseIfMissing(connection);
        List<String> applied = new ArrayList<>();
        try (PostgresClient postgres = new PostgresClient(connection)) {
            postgres.execute(
                    c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute(
                                    "CREATE TABLE IF NOT EXISTS posthog_flink_migrations"
                                            + " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
                        }
                        return null;
                    });
            for (String file : files(POSTGRES)) {
                boolean done =
                        postgres.execute(
                                c -> {
                                    try (PreparedStatement s =
                                            c.prepareStatement(
                                                    "SELECT 1 FROM posthog_flink_migrations WHERE name = ?")) {
                                        s.setString(1, file);
                                        try (ResultSet rows = s.executeQuery()) {
                                            return rows.next();
                                        }
                                    }
                                });
                if (done) {
                    continue;
                }
                List<String> statements = statements(read(POSTGRES + file));
                postgres.execute(
                        c -> {
                            applyInTransaction(c, file, statements);
                            return null;
                        });
                applied.add("postgres/" + file);
            }
        }
        return applied;
    }

    /** Applies a plain SQL file (e.g. the seed) statement by statement, in one transaction. */
    public static void applyPostgresFile(PostgresConnection connection, String sql)
            throws Exception {
        try (PostgresClient postgres = new PostgresClient(connection)) {
            postgres.execute(
                    c -> {
                        applyInTransaction(c, null, statements(sql));
                        return null;
                    });
        }
    }

    private static void applyInTransaction(Connection c, String recordAs, List<String> statements)
            throws SQLException {
        PostgresClient.inTransaction(
                c,
                () -> {
                    try (Statement s = c.createStatement()) {
                        for (String statement : statements) {
                            s.execute(statement);
                        }
                    }
                    if (recordAs != null) {
                        try (PreparedStatement record =
                                c.prepareStatement(
                                        "INSERT INTO posthog_flink_migrations (name) VALUES (?) ON CONFLICT DO NOTHING")) {
                            record.setString(1, recordAs);
                            record.execute();
                        }
                    }
                });
    }

    /**
     * Drops the Postgres and ClickHouse databases (tests and benchmarks only: everything in them is
     * lost), then builds them again with the migrations and the seed.
     */
    public static void recreate(
            PostgresConnection postgres, String clickHouseEndpoint, String clickHouseDatabase)
            throws Exception {
        try (PostgresClient maintenance = new PostgresClient(postgres.withDatabase("postgres"))) {
            maintenance.execute(
                    c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute(
                                    "DROP DATABASE IF EXISTS \""
                                            + postgres.database()
                                            + "\" WITH (FORCE)");
                        }
                        return null;
                    });
        }
        try (ClickHouseClient server =
                new ClickHouseClient(clickHouseEndpoint, "default", "", "default")) {
            server.execute("DROP DATABASE IF EXISTS `" + clickHouseDatabase + "`");
        }
        migratePostgres(postgres);
        applyPostgresFile(postgres, read(POSTGRES + "seed.sql"));
        migrateClickHouse(clickHouseEndpoint, "default", "", clickHouseDatabase);
    }

    /** Applies the ClickHouse migrations, creating the database first if it does not exist. */
    public static List<String> migrateClickHouse(
            String endpoint, String user, String password, String database) throws Exception {
        try (ClickHouseClient server = new ClickHouseClient(endpoint, user, password, "default")) {
            server.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        }
        List<String> applied = new ArrayList<>();
        try (ClickHouseClient clickHouse =
                new ClickHouseClient(endpoint, user, password, database)) {
            clickHouse.execute(
                    "CREATE TABLE IF NOT EXISTS posthog_flink_migrations"
                            + " (name String, applied_at DateTime) ENGINE = TinyLog");
            List<String> done = new ArrayList<>();
            clickHouse
                    .query("SELECT name FROM posthog_flink_migrations")
                    .forEach(row -> done.add(row.get("name").asText()));
            for (String file : files(CLICKHOUSE)) {
                if (done.contains(file)) {
                    continue;
                }
                for (String statement : statements(read(CLICKHOUSE + file))) {
                    clickHouse.execute(statement);
                }
                clickHouse.insertJsonEachRow(
                        "posthog_flink_migrations",
                        ("{\"name\":\""
                                        + file
                                        + "\",\"applied_at\":\""
                                        + com.posthog.flink.sink.ClickHouseRows.dateTime(
                                                System.currentTimeMillis())
                                        + "\"}\n")
                                .getBytes(StandardCharsets.UTF_8));
                applied.add("clickhouse/" + file);
            }
        }
        return applied;
    }

    /** Splits a migration file into statements: each ends with {@code ;} at the end of a line. */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    public static String read(String resource) throws IOException {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The {@code V*.sql} files in a resource folder, in version order. */
    static List<String> files(String folder) throws IOException, URISyntaxException {
        URL url = Migrations.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IOException("Missing resource folder " + folder);
        }
        List<String> names = new ArrayList<>();
        if (url.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (name.startsWith(folder) && name.indexOf('/', folder.length()) < 0) {
                        names.add(name.substring(folder.length()));
                    }
                }
            }
        } else {
            try (Stream<Path> listing = Files.list(Path.of(url.toURI()))) {
                listing.forEach(path -> names.add(path.getFileName().toString()));
            }
        }
        names.removeIf(name -> !name.matches("V\\d+__.*\\.sql"));
        Collections.sort(names);
        return names;
    }

    private static void createPostgresDatabaseIfMissing(PostgresConnection connection)
            throws SQLException {
        try (PostgresClient target = new PostgresClient(connection)) {
            target.execute(c -> c.isValid(5));
            return;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) { // invalid_catalog_name: no such database
                throw e;
            }
        }
        LOG.info("Creating Postgres database {}", connection.database());
        try (PostgresClient maintenance = new PostgresClient(connection.withDatabase("postgres"))) {
            maintenance.execute(
                    c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute(
                                    "CREATE DATABASE \""
                                            + connection.database().replace("\"", "")
                                            + "\"");
                        }
                        return null;
                    });
        }
    }
}
