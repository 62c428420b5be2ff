package com.posthog.flink.sink;

import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.SessionRecording;
import java.sql.Timestamp;

/** The Postgres pipeline's tables: statements and how a row fills them. */
public final class PostgresRows {

    private PostgresRows() {}

    /** {@code posthog_event}, idempotent by this project's {@code uuid} column. */
    public static final String EVENT_INSERT =
            "INSERT INTO posthog_event"
                    + " (uuid, event, properties, elements, timestamp, team_id, distinct_id,"
                    + " elements_hash, created_at, site_url)"
                    + " VALUES (?::uuid, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (uuid) DO NOTHING";

    public static final PostgresTableWriter.Binder<IngestedEvent> EVENT =
            (statement, event) -> {
                statement.setString(1, event.uuid);
                statement.setString(2, event.event);
                statement.setString(3, event.properties);
                statement.setString(4, event.elementsJson);
                statement.setTimestamp(5, new Timestamp(event.timestamp));
                statement.setLong(6, event.teamId);
                statement.setString(7, event.distinctId);
                statement.setString(8, event.elementsHash);
                statement.setTimestamp(9, new Timestamp(event.createdAt));
                statement.setString(10, event.siteUrl);
            };

    /** {@code posthog_sessionrecordingevent}; {@code created_at} is the event time (spec §3.8). */
    public static final String RECORDING_INSERT =
            "INSERT INTO posthog_sessionrecordingevent"
                    + " (uuid, created_at, team_id, distinct_id, session_id, timestamp, snapshot_data)"
                    + " VALUES (?::uuid, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (uuid) DO NOTHING";

    public static final PostgresTableWriter.Binder<SessionRecording> RECORDING =
            (statement, recording) -> {
                Timestamp time = new Timestamp(recording.timestamp);
                statement.setString(1, recording.uuid);
                statement.setTimestamp(2, time);
                statement.setLong(3, recording.teamId);
                statement.setString(4, recording.distinctId);
                statement.setString(5, recording.sessionId);
                statement.setTimestamp(6, time);
                statement.setString(7, recording.snapshotData);
            };
}
