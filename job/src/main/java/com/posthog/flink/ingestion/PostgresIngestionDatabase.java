package com.posthog.flink.ingestion;

import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.ingestion.persons.PersonDatabase;
import com.posthog.flink.ingestion.persons.PostgresPersons;
import com.posthog.flink.ingestion.rules.Definitions;
import com.posthog.flink.ingestion.rules.Element;
import com.posthog.flink.ingestion.rules.ElementGroups;
import com.posthog.flink.ingestion.rules.GroupTypes;
import com.posthog.flink.ingestion.rules.PostgresDefinitions;
import com.posthog.flink.ingestion.rules.PostgresGroupTypes;
import java.util.List;

/** The ingestion stage's Postgres, on one connection (a subtask works one event at a time). */
public final class PostgresIngestionDatabase implements IngestionDatabase {

    private final PostgresClient postgres;
    private final PostgresTeamStore teams;
    private final PostgresPersons persons;
    private final PostgresGroupTypes groupTypes;
    private final PostgresDefinitions definitions;

    public PostgresIngestionDatabase(PostgresClient postgres) {
        this.postgres = postgres;
        this.teams = new PostgresTeamStore(postgres);
        this.persons = new PostgresPersons(postgres);
        this.groupTypes = new PostgresGroupTypes(postgres);
        this.definitions = new PostgresDefinitions(postgres);
    }

    public static Factory factory(Settings settings) {
        return () -> new PostgresIngestionDatabase(new PostgresClient(settings.postgres()));
    }

    @Override
    public TeamStore teams() {
        return teams;
    }

    @Override
    public PersonDatabase persons() {
        return persons;
    }

    @Override
    public GroupTypes groupTypes() {
        return groupTypes;
    }

    @Override
    public Definitions loadDefinitions(long teamId) throws Exception {
        return definitions.load(teamId);
    }

    @Override
    public void writeDefinitions(long teamId, Definitions.Update update) throws Exception {
        definitions.write(teamId, update);
    }

    @Override
    public String elementGroup(long teamId, List<Element> elements) throws Exception {
        return ElementGroups.createElementGroup(postgres, teamId, elements);
    }

    @Override
    public void close() {
        postgres.close();
    }
}
