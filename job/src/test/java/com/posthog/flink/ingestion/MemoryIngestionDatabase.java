package com.posthog.flink.ingestion;

import com.posthog.flink.ingestion.persons.MemoryPersonDatabase;
import com.posthog.flink.ingestion.rules.Definitions;
import com.posthog.flink.ingestion.rules.Element;
import com.posthog.flink.ingestion.rules.Elements;
import com.posthog.flink.ingestion.rules.GroupTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A hand-written ingestion database: teams 2 (plain) and 3 (anonymize_ips), all in memory. */
public final class MemoryIngestionDatabase implements IngestionDatabase {

    public final Map<Long, Team> teams =
            new HashMap<>(Map.of(2L, new Team(2, false), 3L, new Team(3, true)));
    public final MemoryPersonDatabase persons = new MemoryPersonDatabase();
    public final Map<Long, Map<String, Integer>> groupTypes = new HashMap<>();
    public final List<Definitions.Update> definitionWrites = new ArrayList<>();
    public final List<String> elementGroups = new ArrayList<>();
    public int teamFetches;

    @Override
    public TeamStore teams() {
        return teamId -> {
            teamFetches++;
            return Optional.ofNullable(teams.get(teamId));
        };
    }

    @Override
    public MemoryPersonDatabase persons() {
        return persons;
    }

    @Override
    public GroupTypes groupTypes() {
        return (teamId, groupType) -> {
            Map<String, Integer> types =
                    groupTypes.computeIfAbsent(teamId, t -> new LinkedHashMap<>());
            if (!types.containsKey(groupType)
                    && types.size() < GroupTypes.MAX_GROUP_TYPES_PER_TEAM) {
                types.put(groupType, types.size());
            }
            return types.get(groupType);
        };
    }

    @Override
    public Definitions loadDefinitions(long teamId) {
        return new Definitions();
    }

    @Override
    public void writeDefinitions(long teamId, Definitions.Update update) {
        definitionWrites.add(update);
    }

    @Override
    public String elementGroup(long teamId, List<Element> elements) {
        if (elements.isEmpty()) {
            return "";
        }
        String hash = Elements.hash(elements);
        elementGroups.add(hash);
        return hash;
    }
}
