package com.posthog.flink.pipeline;

/**
 * Operator uids and names, in one place. A uid is never renamed once released: savepoints map state
 * to operators by it.
 */
public final class Uids {

    private Uids() {}

    public static final String KAFKA_SOURCE = "events-plugin-ingestion-source";
    public static final String FILE_SOURCE = "input-file-source";
    public static final String PARSE = "parse-message";
    public static final String PLUGIN_STAGE = "plugin-stage";
    public static final String PLUGIN_CONTROL_TICKS = "plugin-control-ticks";
    public static final String PLUGIN_CONTROL = "plugin-control";
    public static final String CELERY_QUEUE_TICKS = "celery-queue-ticks";
    public static final String CELERY_PLUGIN_JOBS = "celery-plugin-jobs";
    public static final String INGESTION_STAGE = "ingestion-stage";
    public static final String CLICKHOUSE_EVENTS_SINK = "clickhouse-events-sink";
    public static final String POSTGRES_EVENTS_SINK = "postgres-events-sink";
    public static final String KAFKA_DEAD_LETTER_SINK = "kafka-dead-letter-sink";
    public static final String CLICKHOUSE_DEAD_LETTER_SINK = "clickhouse-dead-letter-sink";
    public static final String HEALTH_PING = "health-ping";
    public static final String CLICKHOUSE_PERSON_SINK = "clickhouse-person-sink";
    public static final String CLICKHOUSE_DISTINCT_ID_SINK = "clickhouse-person-distinct-id-sink";
    public static final String CLICKHOUSE_RECORDINGS_SINK = "clickhouse-session-recordings-sink";
    public static final String POSTGRES_RECORDINGS_SINK = "postgres-session-recordings-sink";
    public static final String CLICKHOUSE_GROUPS_SINK = "clickhouse-groups-sink";
    public static final String CLICKHOUSE_PLUGIN_LOGS_SINK = "clickhouse-plugin-log-entries-sink";
    public static final String POSTGRES_PLUGIN_LOGS_SINK = "postgres-plugin-log-entries-sink";
    public static final String KAFKA_CAPTURED_SINK = "kafka-captured-events-sink";
}
