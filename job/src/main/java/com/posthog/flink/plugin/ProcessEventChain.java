package com.posthog.flink.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code processEvent} chain of one team (spec §2.2, {@code runProcessEvent} of 1.10), quirks
 * included: each plugin gets the event the previous one returned; a falsy return drops it; a
 * failing plugin is recorded and the chain goes on with the event as it was handed to that plugin
 * (with what the plugin changed in place before it threw); {@code team_id} cannot change; and the
 * {@code $plugins_succeeded/failed/deferred} lists are written to the properties of the event that
 * came in, so a plugin that returns a new object loses them.
 *
 * <p>Plugins see copies: a JavaScript context cannot share objects with another. What a plugin did
 * to its argument comes back as {@link Call#eventAfter} and is applied to the same Java object, so
 * object identity, which the quirks depend on, is kept across the chain.
 */
public final class ProcessEventChain {

    private ProcessEventChain() {}

    /** One plugin config of the team, in the team's order. */
    public interface Member {

        /** {@code "<plugin name> (<plugin config id>)"}, as in {@code $plugins_*}. */
        String label();

        boolean hasProcessEvent();

        /** Whether the plugin has {@code onEvent} or {@code onSnapshot} (listed as deferred). */
        boolean hasDeferred();

        /** Runs {@code processEvent} on a copy of the event. */
        Call processEvent(ObjectNode event) throws Failure;
    }

    /**
     * What one {@code processEvent} call gave.
     *
     * @param result the returned value (null for {@code undefined} or {@code null})
     * @param eventAfter the argument after the call, with the plugin's in-place changes
     * @param returnedArgument whether the plugin returned its argument itself
     */
    public record Call(JsonNode result, ObjectNode eventAfter, boolean returnedArgument) {}

    /** A plugin's {@code processEvent} threw (or timed out); the chain records it and goes on. */
    public static final class Failure extends Exception {

        private static final long serialVersionUID = 1L;

        private final String name;
        private final transient ObjectNode eventAfter;

        /**
         * @param name the JavaScript error's name, e.g. {@code TypeError}
         * @param eventAfter the argument as the plugin left it, or null if unknown
         */
        public Failure(String name, String message, ObjectNode eventAfter) {
            super(message);
            this.name = name;
            this.eventAfter = eventAfter;
        }

        public String name() {
            return name;
        }

        ObjectNode eventAfter() {
            return eventAfter;
        }
    }

    /** Where a member's failure goes: its config's error and the plugin log (spec §2.8). */
    public interface FailureSink {
        void failed(Member member, Failure failure, ObjectNode event);
    }

    /**
     * Runs the chain.
     *
     * @param event the event as it entered the chain; it gets the {@code $plugins_*} lists
     * @return the event after the chain, or null when a plugin dropped it
     */
    public static ObjectNode run(ObjectNode event, List<Member> members, FailureSink failures) {
        JsonNode teamId = event.get("team_id");
        ObjectNode returned = event;
        List<String> succeeded = existing(event, "$plugins_succeeded");
        List<String> failed = existing(event, "$plugins_failed");
        List<String> deferred = new ArrayList<>();
        for (Member member : members) {
            if (member.hasProcessEvent()) {
                try {
                    Call call = member.processEvent(returned);
                    replaceContents(returned, call.eventAfter());
                    if (!Json.truthy(call.result())) {
                        returned = null;
                    } else if (!call.returnedArgument()) {
                        if (!call.result().isObject()) {
                            throw new Failure(
                                    "TypeError", "processEvent must return an event object", null);
                        }
                        returned = (ObjectNode) call.result();
                    }
                    if (returned != null && !sameTeam(teamId, returned.get("team_id"))) {
                        returned.set("team_id", teamId);
                        throw new Failure(
                                "IllegalOperationError",
                                "Plugin tried to change event.team_id",
                                null);
                    }
                    succeeded.add(member.label());
                } catch (Failure failure) {
                    if (failure.eventAfter() != null && returned != null) {
                        replaceContents(returned, failure.eventAfter());
                    }
                    failures.failed(member, failure, returned);
                    failed.add(member.label());
                }
                if (returned == null) {
                    return null;
                }
            }
            if (member.hasDeferred()) {
                deferred.add(member.label());
            }
        }
        if (!succeeded.isEmpty() || !failed.isEmpty() || !deferred.isEmpty()) {
            ObjectNode properties = Json.MAPPER.createObjectNode();
            JsonNode old = event.get("properties");
            if (old != null && old.isObject()) {
                properties.setAll((ObjectNode) old);
            }
            properties.set("$plugins_succeeded", strings(succeeded));
            properties.set("$plugins_failed", strings(failed));
            properties.set("$plugins_deferred", strings(deferred));
            event.set("properties", properties);
        }
        return returned;
    }

    /** {@code returned.team_id === teamId}: numbers compare by value, whatever their width. */
    private static boolean sameTeam(JsonNode expected, JsonNode actual) {
        if (actual != null && actual.isNumber() && expected.isNumber()) {
            return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
        }
        return actual != null && actual.equals(expected);
    }

    /** Makes {@code target} hold what {@code source} holds, keeping {@code target}'s identity. */
    private static void replaceContents(ObjectNode target, ObjectNode source) {
        if (source != null && source != target) {
            target.removeAll();
            target.setAll(source);
        }
    }

    private static List<String> existing(ObjectNode event, String key) {
        List<String> values = new ArrayList<>();
        JsonNode properties = event.get("properties");
        JsonNode list = properties == null ? null : properties.get(key);
        if (list != null && list.isArray()) {
            list.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
