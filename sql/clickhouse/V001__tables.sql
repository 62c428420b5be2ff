-- ClickHouse tables written directly by the job (no Kafka engine tables, no materialized views).
-- Follows PostHog's ClickHouse schema of late 2021 (PostHog/posthog ee/clickhouse/sql/, spec 3.9),
-- adapted to run on ClickHouse 18.16: DateTime instead of DateTime64, no LowCardinality, no TTL,
-- no Map, no JSONExtract functions. Table names are unqualified: the migrator runs this file in
-- the target database. Every statement is idempotent (CREATE TABLE IF NOT EXISTS).
-- Format rules: each statement ends with a semicolon as the last character of its line, and
-- comments are whole lines only (a simple migrator splits the file).

-- events: ReplacingMergeTree keyed on (team_id, day, distinct_id, uuid). The job derives the
-- timestamp deterministically, so a replayed event has the same sorting key and collapses
-- into one row (SELECT ... FINAL, or after a merge). The newest _timestamp wins.
CREATE TABLE IF NOT EXISTS events
(
    uuid UUID,
    event String,
    properties String,
    timestamp DateTime,
    team_id Int64,
    distinct_id String,
    elements_chain String,
    created_at DateTime,
    `$group_0` String MATERIALIZED visitParamExtractString(properties, '$group_0'),
    `$group_1` String MATERIALIZED visitParamExtractString(properties, '$group_1'),
    `$group_2` String MATERIALIZED visitParamExtractString(properties, '$group_2'),
    `$group_3` String MATERIALIZED visitParamExtractString(properties, '$group_3'),
    `$group_4` String MATERIALIZED visitParamExtractString(properties, '$group_4'),
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (team_id, toDate(timestamp), distinct_id, uuid)
SETTINGS index_granularity = 8192;

-- person: one row per write, and readers take argMax(..., _timestamp) per id and drop persons whose
-- latest row has is_deleted = 1.
CREATE TABLE IF NOT EXISTS person
(
    id UUID,
    created_at DateTime,
    team_id Int64,
    properties String,
    is_identified Int8,
    is_deleted Int8 DEFAULT 0,
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
ORDER BY (team_id, id)
SETTINGS index_granularity = 8192;

-- person_distinct_id: _sign = 1 adds the mapping, _sign = -1 cancels it (a merge moves a
-- distinct id by writing -1 for the old person and 1 for the new one).
CREATE TABLE IF NOT EXISTS person_distinct_id
(
    distinct_id String,
    person_id UUID,
    team_id Int64,
    _sign Int8 DEFAULT 1,
    is_deleted Int8 MATERIALIZED if(_sign = -1, 1, 0),
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = CollapsingMergeTree(_sign)
ORDER BY (team_id, distinct_id, person_id)
SETTINGS index_granularity = 8192;

-- session_recording_events: same replay rule as events (same uuid, same sorting key).
CREATE TABLE IF NOT EXISTS session_recording_events
(
    uuid UUID,
    timestamp DateTime,
    team_id Int64,
    distinct_id String,
    session_id String,
    snapshot_data String,
    created_at DateTime,
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (team_id, toHour(timestamp), session_id, timestamp, uuid)
SETTINGS index_granularity = 512;

-- groups: $groupidentify overwrites the whole row (read with FINAL).
CREATE TABLE IF NOT EXISTS groups
(
    group_type_index UInt8,
    group_key String,
    created_at DateTime,
    team_id Int64,
    group_properties String,
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
ORDER BY (team_id, group_type_index, group_key)
SETTINGS index_granularity = 8192;

-- plugin_log_entries: source in SYSTEM, PLUGIN, CONSOLE and type in DEBUG, LOG, INFO, WARN, ERROR.
CREATE TABLE IF NOT EXISTS plugin_log_entries
(
    id UUID,
    team_id Int64,
    plugin_id Int64,
    plugin_config_id Int64,
    timestamp DateTime,
    source String,
    type String,
    message String,
    instance_id UUID,
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (team_id, plugin_id, plugin_config_id, timestamp, id)
SETTINGS index_granularity = 512;

-- events_dead_letter_queue: id is derived from (error_location, raw_payload), so a replayed
-- dead letter collapses into the same row.
CREATE TABLE IF NOT EXISTS events_dead_letter_queue
(
    id UUID,
    event_uuid Nullable(UUID),
    event Nullable(String),
    properties Nullable(String),
    distinct_id Nullable(String),
    team_id Nullable(Int64),
    elements_chain Nullable(String),
    created_at Nullable(DateTime),
    ip Nullable(String),
    site_url Nullable(String),
    now Nullable(DateTime),
    raw_payload String,
    error_timestamp DateTime,
    error_location String,
    error String,
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
ORDER BY id
SETTINGS index_granularity = 512;
