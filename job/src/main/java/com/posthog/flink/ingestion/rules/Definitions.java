package com.posthog.flink.ingestion.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one team already has in {@code posthog_eventdefinition} and {@code
 * posthog_propertydefinition}, and so which definitions an event adds (spec §3.6 step 5).
 *
 * <p>The original cached the names per team in memory, loaded once from the tables and never
 * expired, and inserted a definition only for a name it had not seen. This class is that cache for
 * one team, as plain sets, so that a keyed Flink state can hold it; {@link PostgresDefinitions}
 * loads it and writes the rows. Computing ({@link #pending}) and remembering ({@link #remember})
 * are separate steps, so that a name is only remembered once its row is written.
 *
 * <p>{@code $$plugin_metrics} events get no definitions at all (nor do they mark the team as having
 * ingested an event); {@code $snapshot} never reaches this step in the original. The properties are
 * taken as they are at this point: after {@code $ip} is added and {@code $elements} removed, before
 * {@link PersonInitialProperties} and {@code $group_N} expansion.
 */
public final class Definitions {

    /** Events for which the original writes no definitions. */
    public static final Set<String> EVENTS_WITHOUT_DEFINITIONS =
            Set.of("$$plugin_metrics", "$snapshot");

    private final Set<String> eventNames;
    private final Set<String> propertyNames;
    private boolean teamIngestedEvent;

    /** A team with no definitions that has not ingested an event. */
    public Definitions() {
        this(new HashSet<>(), new HashSet<>(), false);
    }

    /**
     * @param eventNames the team's known event names (kept, not copied: a state may own the set)
     * @param propertyNames the team's known property names (kept, not copied)
     * @param teamIngestedEvent {@code posthog_team.ingested_event}
     */
    public Definitions(
            Set<String> eventNames, Set<String> propertyNames, boolean teamIngestedEvent) {
        this.eventNames = eventNames;
        this.propertyNames = propertyNames;
        this.teamIngestedEvent = teamIngestedEvent;
    }

    public Set<String> eventNames() {
        return eventNames;
    }

    public Set<String> propertyNames() {
        return propertyNames;
    }

    public boolean teamIngestedEvent() {
        return teamIngestedEvent;
    }

    /**
     * What an event adds.
     *
     * @param eventNames event definitions to insert (at most one)
     * @param properties property definitions to insert, in the order of the event's keys
     * @param markTeamIngested whether {@code posthog_team.ingested_event} must be set
     */
    public record Update(
            List<String> eventNames,
            List<PropertyDefinition> properties,
            boolean markTeamIngested) {

        public static final Update NONE = new Update(List.of(), List.of(), false);

        public boolean isEmpty() {
            return eventNames.isEmpty() && properties.isEmpty() && !markTeamIngested;
        }
    }

    /** The event definition an event adds: its name if unknown; none for the excluded events. */
    public List<String> newEventNames(String event) {
        if (EVENTS_WITHOUT_DEFINITIONS.contains(event) || eventNames.contains(event)) {
            return List.of();
        }
        return List.of(event);
    }

    /**
     * The property definitions an event adds: each unknown key, in {@code Object.entries} order,
     * numerical when its value is a JSON number; none for the excluded events.
     */
    public List<PropertyDefinition> newProperties(String event, ObjectNode properties) {
        if (EVENTS_WITHOUT_DEFINITIONS.contains(event) || properties == null) {
            return List.of();
        }
        List<PropertyDefinition> added = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : JsObjects.entries(properties)) {
            if (!propertyNames.contains(entry.getKey())) {
                added.add(new PropertyDefinition(entry.getKey(), entry.getValue().isNumber()));
            }
        }
        return added;
    }

    /** Everything an event adds; {@link Update#NONE} when nothing. Changes nothing here. */
    public Update pending(String event, ObjectNode properties) {
        if (EVENTS_WITHOUT_DEFINITIONS.contains(event)) {
            return Update.NONE;
        }
        Update update =
                new Update(
                        newEventNames(event), newProperties(event, properties), !teamIngestedEvent);
        return update.isEmpty() ? Update.NONE : update;
    }

    /** Remembers an update once its rows are written, so no later event writes them again. */
    public void remember(Update update) {
        eventNames.addAll(update.eventNames());
        for (PropertyDefinition property : update.properties()) {
            propertyNames.add(property.name());
        }
        if (update.markTeamIngested()) {
            teamIngestedEvent = true;
        }
    }
}
