package com.posthog.flink.db;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.event.Json;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The ClickHouse HTTP client in the shape that works on every server version we meet, 18.16
 * included (DESIGN.md): inserts as JSONEachRow, reads only {@code … FORMAT JSONEachRow} as raw
 * text, server responses uncompressed.
 */
public final class ClickHouseClient implements AutoCloseable {

    /**
     * Server error codes that mean "this data is wrong", not "the server is unwell": the rows go to
     * the dead letters instead of being retried.
     */
    private static final Set<Integer> DATA_ERRORS =
            Set.of(
                    6, // CANNOT_PARSE_TEXT
                    26, // CANNOT_PARSE_QUOTED_STRING
                    27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
                    32, // ATTEMPT_TO_READ_AFTER_EOF
                    38, // CANNOT_PARSE_DATE
                    41, // CANNOT_PARSE_DATETIME
                    53, // TYPE_MISMATCH
                    69, // ARGUMENT_OUT_OF_BOUND
                    70, // CANNOT_CONVERT_TYPE
                    72, // CANNOT_PARSE_NUMBER
                    117, // INCORRECT_DATA
                    131, // TOO_LARGE_STRING_SIZE
                    349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
                    376); // CANNOT_PARSE_UUID

    private static final long TIMEOUT_SECONDS = 120;

    private final Client client;
    private final String database;

    public ClickHouseClient(String endpoint, String user, String password, String database) {
        this.database = database;
        this.client =
                new Client.Builder()
                        .addEndpoint(endpoint)
                        .setUsername(user)
                        .setPassword(password)
                        .setDefaultDatabase(database)
                        .compressServerResponse(false)
                        .build();
    }

    public static ClickHouseClient fromSettings(Settings settings) {
        return new ClickHouseClient(
                settings.clickHouseEndpoint(),
                settings.string(PluginServerOptions.CLICKHOUSE_USER),
                settings.string(PluginServerOptions.CLICKHOUSE_PASSWORD),
                settings.string(PluginServerOptions.CLICKHOUSE_DATABASE));
    }

    /**
     * Inserts JSONEachRow lines; a refusal of the data itself is a {@link RowsRejectedException}.
     */
    public void insertJsonEachRow(String table, byte[] rows) throws Exception {
        InsertSettings settings = new InsertSettings();
        settings.serverSetting("database", database);
        await(
                client.insert(
                        table,
                        new ByteArrayInputStream(rows),
                        ClickHouseFormat.JSONEachRow,
                        settings));
    }

    /** Runs a statement that returns nothing (DDL). */
    public void execute(String sql) throws Exception {
        CommandSettings settings = new CommandSettings();
        settings.serverSetting("database", database);
        await(client.execute(sql, settings));
    }

    /** Runs a query, appending {@code FORMAT JSONEachRow}, and returns its rows. */
    public List<ObjectNode> query(String sql) throws Exception {
        List<ObjectNode> rows = new ArrayList<>();
        try (QueryResponse response =
                        await(client.query(sql + " FORMAT JSONEachRow", inDatabase()));
                BufferedReader reader =
                        new BufferedReader(
                                new InputStreamReader(
                                        response.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(Json.parseObject(line));
                }
            }
        }
        return rows;
    }

    /**
     * The database as the {@code database} URL parameter: the client's default database travels in
     * a header that 18.16 ignores, so without this every statement would run in {@code default}.
     */
    private QuerySettings inDatabase() {
        QuerySettings settings = new QuerySettings();
        settings.serverSetting("database", database);
        return settings;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ServerException server && DATA_ERRORS.contains(server.getCode())) {
                throw new RowsRejectedException(firstLine(server.getMessage()), server);
            }
            throw cause instanceof Exception exception ? exception : e;
        } catch (ServerException server) {
            if (DATA_ERRORS.contains(server.getCode())) {
                throw new RowsRejectedException(firstLine(server.getMessage()), server);
            }
            throw server;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "rejected by ClickHouse";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        client.close();
    }
}
