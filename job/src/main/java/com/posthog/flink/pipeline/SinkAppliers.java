package com.posthog.flink.pipeline;

import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DistinctIdRow;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.KafkaMessage;
import com.posthog.flink.event.PersonRow;
import com.posthog.flink.event.SessionRecording;
import com.posthog.flink.plugin.services.PluginLogEntry;
import java.io.Serializable;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the topology's outputs go: real databases in the job, collectors in tests. */
public interface SinkAppliers extends Serializable {

    void events(DataStream<IngestedEvent> events);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    /** Person changes for ClickHouse {@code person}; Postgres is written by the stage itself. */
    void persons(DataStream<PersonRow> persons);

    void distinctIds(DataStream<DistinctIdRow> distinctIds);

    void recordings(DataStream<SessionRecording> recordings);

    void groups(DataStream<GroupRow> groups);

    void pluginLogs(DataStream<PluginLogEntry> entries);

    /** Events captured by plugins, as {@code events_plugin_ingestion} messages. */
    void captured(DataStream<KafkaMessage> messages);
}
