package com.posthog.flink.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.config.Settings;
import com.posthog.flink.db.ClickHouseClient;
import com.posthog.flink.event.Json;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** Inserts rows into one ClickHouse table as JSONEachRow. */
public final class ClickHouseTableWriter<T> implements TableWriter<T> {

    /** Turns a row into its JSON object; serializable as it ships in the job graph. */
    public interface RowFormat<T> extends Function<T, ObjectNode>, Serializable {}

    private final ClickHouseClient client;
    private final String table;
    private final RowFormat<T> format;

    public ClickHouseTableWriter(ClickHouseClient client, String table, RowFormat<T> format) {
        this.client = client;
        this.table = table;
        this.format = format;
    }

    public static <T> Factory<T> factory(Settings settings, String table, RowFormat<T> format) {
        return () ->
                new ClickHouseTableWriter<>(ClickHouseClient.fromSettings(settings), table, format);
    }

    @Override
    public void write(List<T> rows) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream(rows.size() * 512);
        for (T row : rows) {
            body.write(Json.write(format.apply(row)).getBytes(StandardCharsets.UTF_8));
            body.write('\n');
        }
        client.insertJsonEachRow(table, body.toByteArray());
    }

    @Override
    public void close() {
        client.close();
    }
}
