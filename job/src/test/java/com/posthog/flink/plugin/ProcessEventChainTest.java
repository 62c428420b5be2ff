package com.posthog.flink.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.ProcessEventChain.Call;
import com.posthog.flink.plugin.ProcessEventChain.Failure;
import com.posthog.flink.plugin.ProcessEventChain.Member;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessEventChainTest {

    /** What a fake plugin does to the copy of the event it gets. */
    private interface Behaviour {
        JsonNode apply(ObjectNode copy) throws Exception;
    }

    /** A plugin as the chain sees it: works on a copy, as a JavaScript context does. */
    private static Member plugin(String label, Behaviour behaviour) {
        return member(label, true, false, behaviour);
    }

    private static Member member(
            String label, boolean processEvent, boolean deferred, Behaviour behaviour) {
        return new Member() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public boolean hasProcessEvent() {
                return processEvent;
            }

            @Override
            public boolean hasDeferred() {
                return deferred;
            }

            @Override
            public Call processEvent(ObjectNode event) throws Failure {
                ObjectNode copy = event.deepCopy();
                try {
                    JsonNode result = behaviour.apply(copy);
                    return new Call(result, copy, result == copy);
                } catch (Exception e) {
                    throw new Failure("Error", e.getMessage(), copy);
                }
            }
        };
    }

    private final List<String> failures = new ArrayList<>();

    private ObjectNode run(ObjectNode event, Member... members) {
        return ProcessEventChain.run(
                event,
                List.of(members),
                (member, failure, at) ->
                        failures.add(member.label() + ": " + failure.getMessage()));
    }

    private static ObjectNode event() {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event", "$pageview");
        event.put("team_id", 2L);
        event.putObject("properties").put("a", 1);
        return event;
    }

    private static List<String> list(JsonNode event, String key) {
        List<String> values = new ArrayList<>();
        event.get("properties").get(key).forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void eachPluginGetsWhatThePreviousReturnedAndSuccessesAreListed() {
        ObjectNode out =
                run(
                        event(),
                        plugin(
                                "first (1)",
                                e ->
                                        ((ObjectNode) e.get("properties")).put("b", 2).get("b")
                                                        != null
                                                ? e
                                                : e),
                        plugin(
                                "second (2)",
                                e -> {
                                    ((ObjectNode) e.get("properties"))
                                            .put("c", e.get("properties").get("b").asInt() + 1);
                                    return e;
                                }));

        assertThat(out.get("properties").get("c").asInt()).isEqualTo(3);
        assertThat(list(out, "$plugins_succeeded")).containsExactly("first (1)", "second (2)");
        assertThat(list(out, "$plugins_failed")).isEmpty();
        assertThat(list(out, "$plugins_deferred")).isEmpty();
    }

    @Test
    void aFalsyReturnDropsTheEventAndStopsTheChain() {
        List<String> calls = new ArrayList<>();
        ObjectNode out =
                run(
                        event(),
                        plugin("dropper (1)", e -> Json.MAPPER.nullNode()),
                        plugin(
                                "never (2)",
                                e -> {
                                    calls.add("never");
                                    return e;
                                }));

        assertThat(out).isNull();
        assertThat(calls).isEmpty();
        assertThat(
                        run(
                                event(),
                                plugin(
                                        "zero (1)",
                                        e -> Json.MAPPER.getNodeFactory().numberNode(0))))
                .isNull();
        assertThat(run(event(), plugin("undefined (1)", e -> null))).isNull();
    }

    @Test
    void aFailingPluginIsRecordedAndTheChainGoesOnWithTheEventAsItWasLeft() {
        ObjectNode out =
                run(
                        event(),
                        plugin(
                                "thrower (1)",
                                e -> {
                                    ((ObjectNode) e.get("properties")).put("before_throw", true);
                                    throw new Exception("boom");
                                }),
                        plugin("next (2)", e -> e));

        assertThat(out.get("properties").get("before_throw").asBoolean()).isTrue();
        assertThat(list(out, "$plugins_failed")).containsExactly("thrower (1)");
        assertThat(list(out, "$plugins_succeeded")).containsExactly("next (2)");
        assertThat(failures).containsExactly("thrower (1): boom");
    }

    @Test
    void changingTeamIdIsResetAndRecordedAsAFailure() {
        ObjectNode out = run(event(), plugin("mover (1)", e -> e.put("team_id", 3)));

        assertThat(out.get("team_id").asLong()).isEqualTo(2);
        assertThat(failures).containsExactly("mover (1): Plugin tried to change event.team_id");
        assertThat(list(out, "$plugins_failed")).containsExactly("mover (1)");
    }

    @Test
    void aPluginReturningANewObjectLosesTheBookkeepingAsInTheOriginal() {
        ObjectNode out =
                run(
                        event(),
                        plugin(
                                "copier (1)",
                                e -> {
                                    ObjectNode fresh = e.deepCopy();
                                    fresh.put("copied", true);
                                    return fresh;
                                }));

        assertThat(out.get("copied").asBoolean()).isTrue();
        assertThat(out.get("properties").has("$plugins_succeeded")).isFalse();
    }

    @Test
    void pluginsWithOnlyOnEventAreDeferredAndExistingListsAreExtended() {
        ObjectNode event = event();
        ((ObjectNode) event.get("properties")).putArray("$plugins_succeeded").add("earlier (9)");

        ObjectNode out =
                run(
                        event,
                        member("exporter (1)", false, true, e -> e),
                        member("both (2)", true, true, e -> e));

        assertThat(list(out, "$plugins_succeeded")).containsExactly("earlier (9)", "both (2)");
        assertThat(list(out, "$plugins_deferred")).containsExactly("exporter (1)", "both (2)");
    }

    @Test
    void noPluginsLeaveTheEventUntouched() {
        ObjectNode event = event();
        ObjectNode out = run(event);

        assertThat(out).isSameAs(event);
        assertThat(out.get("properties").has("$plugins_succeeded")).isFalse();
    }
}
