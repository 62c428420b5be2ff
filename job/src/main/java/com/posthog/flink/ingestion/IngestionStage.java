package com.posthog.flink.ingestion;

import com.posthog.flink.event.DeadLetter;
import com.posthog.flink.event.DeadLetters;
import com.posthog.flink.event.DistinctIdRow;
import com.posthog.flink.event.GroupRow;
import com.posthog.flink.event.IngestedEvent;
import com.posthog.flink.event.PersonRow;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.event.SessionRecording;
import com.posthog.flink.ingestion.persons.PersonCache;
import com.posthog.flink.ingestion.persons.PersonChanges;
import com.posthog.flink.ingestion.persons.PersonRules;
import com.posthog.flink.ingestion.persons.PersonState;
import com.posthog.flink.ingestion.persons.Persons;
import com.posthog.flink.pipeline.Outputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ingestion stage, keyed by team: applies {@link EventIngester} to each event with the team's
 * persons cached in keyed state; an event at fault becomes a dead letter and the stream goes on.
 */
public class IngestionStage extends KeyedProcessFunction<Long, PipelineEvent, IngestedEvent> {

    /**
     * How long a person stays cached without being used (the original's LRU kept 10,000 ids for an
     * hour). Postgres has everything; an expired entry is read from it again.
     */
    static final Duration PERSON_CACHE_TTL = Duration.ofHours(1);

    /** distinct id → person uuid, per team. */
    static final MapStateDescriptor<String, String> PERSON_BY_DISTINCT_ID =
            withTtl(new MapStateDescriptor<>("person-by-distinct-id", Types.STRING, Types.STRING));

    /** person uuid → person, per team. */
    static final MapStateDescriptor<String, PersonState> PERSONS =
            withTtl(
                    new MapStateDescriptor<>(
                            "persons", Types.STRING, TypeInformation.of(PersonState.class)));

    private final IngestionDatabase.Factory databases;
    private final boolean clickHousePipeline;

    private transient IngestionDatabase database;
    private transient EventIngester ingester;
    private transient List<PersonRow> personRows;
    private transient List<DistinctIdRow> distinctIdRows;
    private transient Counter eventsIn;
    private transient Counter eventsOut;
    private transient Counter deadLetters;
    private transient Counter personMerges;
    private transient LongCounter ingested;
    private transient LongCounter deadLetterCount;

    /**
     * @param clickHousePipeline whether the ClickHouse pipeline runs ({@code KAFKA_ENABLED}): it
     *     decides which rows the stage produces (groups) or writes itself (element groups)
     */
    public IngestionStage(IngestionDatabase.Factory databases, boolean clickHousePipeline) {
        this.databases = databases;
        this.clickHousePipeline = clickHousePipeline;
    }

    private static <K, V> MapStateDescriptor<K, V> withTtl(MapStateDescriptor<K, V> descriptor) {
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(PERSON_CACHE_TTL)
                        .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                        .build());
        return descriptor;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        database = databases.open();
        personRows = new ArrayList<>();
        distinctIdRows = new ArrayList<>();
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        eventsOut = metrics.counter("eventsOut");
        deadLetters = metrics.addGroup("deadLetters").counter(DeadLetter.INGEST_LOCATION);
        personMerges = metrics.counter("personMerges");
        ingested = getRuntimeContext().getLongCounter(Outputs.INGESTED);
        deadLetterCount = getRuntimeContext().getLongCounter(Outputs.DEAD_LETTER_COUNT);
        Persons persons =
                new Persons(
                        database.persons(),
                        new StatePersonCache(
                                getRuntimeContext().getMapState(PERSON_BY_DISTINCT_ID),
                                getRuntimeContext().getMapState(PERSONS)),
                        new RowCollector());
        ingester =
                new EventIngester(
                        new TeamCache(database.teams(), System::currentTimeMillis),
                        new PersonRules(persons),
                        database,
                        clickHousePipeline);
    }

    @Override
    public void processElement(PipelineEvent event, Context ctx, Collector<IngestedEvent> out)
            throws Exception {
        eventsIn.inc();
        long now = ctx.timerService().currentProcessingTime();
        try {
            ingester.ingest(
                    event,
                    now,
                    new EventIngester.Output() {
                        @Override
                        public void event(IngestedEvent ingestedEvent) {
                            out.collect(ingestedEvent);
                            eventsOut.inc();
                            ingested.add(1);
                        }

                        @Override
                        public void recording(SessionRecording recording) {
                            ctx.output(Outputs.RECORDINGS, recording);
                            ingested.add(1);
                        }

                        @Override
                        public void group(GroupRow group) {
                            ctx.output(Outputs.GROUPS, group);
                        }
                    });
        } catch (IngestionException e) {
            deadLetters.inc();
            deadLetterCount.add(1);
            ctx.output(Outputs.DEAD_LETTERS, DeadLetters.ingestFailure(event, e.getMessage(), now));
        } finally {
            personRows.forEach(row -> ctx.output(Outputs.PERSONS, row));
            distinctIdRows.forEach(row -> ctx.output(Outputs.DISTINCT_IDS, row));
            personRows.clear();
            distinctIdRows.clear();
        }
    }

    @Override
    public void close() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    /** Collects person changes as ClickHouse rows, emitted after the event that made them. */
    private final class RowCollector implements PersonChanges {

        @Override
        public void person(long teamId, PersonState person, boolean deleted) {
            if (deleted) {
                personMerges.inc();
            }
            personRows.add(
                    new PersonRow(
                            person.uuid,
                            teamId,
                            person.createdAt,
                            person.properties,
                            person.isIdentified,
                            deleted));
        }

        @Override
        public void distinctId(long teamId, String distinctId, String personUuid, boolean deleted) {
            distinctIdRows.add(new DistinctIdRow(distinctId, personUuid, teamId, deleted ? -1 : 1));
        }
    }

    /** The person cache as keyed state: each team sees only its own persons. */
    private static final class StatePersonCache implements PersonCache {

        private final MapState<String, String> personByDistinctId;
        private final MapState<String, PersonState> persons;

        StatePersonCache(
                MapState<String, String> personByDistinctId,
                MapState<String, PersonState> persons) {
            this.personByDistinctId = personByDistinctId;
            this.persons = persons;
        }

        @Override
        public String personOf(String distinctId) throws Exception {
            return personByDistinctId.get(distinctId);
        }

        @Override
        public PersonState person(String uuid) throws Exception {
            return persons.get(uuid);
        }

        @Override
        public void put(PersonState person) throws Exception {
            persons.put(person.uuid, person);
            for (String distinctId : person.distinctIds) {
                personByDistinctId.put(distinctId, person.uuid);
            }
        }

        @Override
        public void remove(String uuid) throws Exception {
            persons.remove(uuid);
        }
    }
}
