package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code processEvent}'s event crossing as a {@link LazyEvent} gives what a full JSON round trip
 * gives ({@link PluginVm#call}, JSON text both ways): the same result, the same event after the
 * call (member order and number forms included) and the same error, whatever the plugin does to the
 * event.
 */
class LazyEventTest {

    /** Nested members, numbers JavaScript prints differently, index-like keys, odd strings. */
    private static final String TYPICAL =
            """
            {"uuid":"u-1","event":"signed up","distinct_id":"007","team_id":2,"ip":null,
             "timestamp":"2026-01-01T00:00:00Z","now":1.5e2,"sent_at":-0.0,"flag":true,
             "properties":{"b":1,"2":"two","1":"one","price":35.0,"big":12345678901234567890,
              "huge":1e21,"small":1e-7,"near":9007199254740993,"p60":1152921504606846976,"neg":-0.0,"text":"é☃\\u2028",
              "list":[1,2.50,{"z":1,"0":0}],"$set":{"age":40}},
             "$set_once":{"first":"yes"},"elements":[]}
            """;

    /** Top-level index-like keys and a member named {@code __proto__}. */
    private static final String ODD_KEYS =
            """
            {"event":"x","7":"seven","team_id":2,"__proto__":{"polluted":true},
             "properties":{"a":1},"0":{"zero":0}}
            """;

    private static final String MINIMAL = "{\"event\":\"x\",\"team_id\":2}";

    private static final String[] BODIES = {
        "return event",
        "event.event = event.event.toUpperCase(); return event",
        "event.properties.added = 1; return event",
        "event.properties.list.push(4); return event",
        "delete event.properties; return event",
        "event.properties = { replaced: true }; return event",
        "return { ...event, extra: 1 }",
        "return Object.assign({}, event)",
        "return { wrapped: event }",
        "Object.freeze(event); return event",
        "event.newKey = 'x'; return event",
        "event[3] = 'three'; return event",
        "event.timestamp = new Date(0); return event",
        "event.event = undefined; return event",
        "event.event = () => 1; return event",
        "event.toJSON = () => ({ only: 1 }); return event",
        "event.keys = Object.keys(event); return event",
        "event.json = JSON.stringify(event); return event",
        "event.distinct_id = 'x'; event.distinct_id = event.uuid; return event",
        "for (const k in event) if (typeof event[k] === 'string') event[k] += '!'; return event",
        "const p = event.properties; event.properties = undefined; event.moved = p; return event",
        "Object.defineProperty(event, 'properties', { enumerable: false }); return event",
        "Object.getOwnPropertyDescriptor(event, 'properties').value.x = 1; return event",
        "event.has = [event.hasOwnProperty('properties'), 'properties' in event]; return event",
        "event.team_id = 3; return event",
        "return null",
        "return Object.entries(event).length",
        "event.properties.$set = { a: 1 }; throw new Error('boom')",
        "event.self = event; return event",
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String body : BODIES) {
            for (String event : new String[] {TYPICAL, ODD_KEYS, MINIMAL}) {
                cases.add(Arguments.of(body, event));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void givesWhatAJsonRoundTripGives(String body, String event) throws Exception {
        String source = "exports.processEvent = async (event, meta) => { " + body + " }";
        try (PluginVm json = load(js(source), new TestingPluginServices());
                PluginVm lazy = load(js(source), new TestingPluginServices())) {
            assertThat(outcome(() -> lazyCall(lazy, event)))
                    .isEqualTo(outcome(() -> jsonCall(json, event)));
        }
    }

    private interface Call {
        String run() throws Exception;
    }

    /** What the call gave, as text: result, event after and whether it was returned; or error. */
    private static String outcome(Call call) {
        try {
            try {
                return call.run();
            } catch (PluginCallException e) {
                return "error "
                        + e.errorName()
                        + ": "
                        + e.getMessage()
                        + " after "
                        + (e.argumentsAfterJson() == null
                                ? null
                                : asJackson(e.argumentsAfterJson()));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** JavaScript and Jackson print some numbers differently: compare the values read back. */
    private static String asJackson(List<String> json) throws Exception {
        return Json.write(Json.parse(json.get(0)));
    }

    private static String jsonCall(PluginVm vm, String event) throws Exception {
        PluginVm.CallResult result =
                vm.call("processEvent", TIMEOUT, Json.write(Json.parseObject(event)));
        return describe(
                result.resultJson() == null ? null : Json.parse(result.resultJson()),
                Json.parse(result.argumentsAfterJson().get(0)),
                result.returnedFirstArgument());
    }

    private static String lazyCall(PluginVm vm, String event) throws Exception {
        PluginVm.EventResult result = vm.processEvent(TIMEOUT, Json.parseObject(event));
        return describe(result.result(), result.eventAfter(), result.returnedEvent());
    }

    private static String describe(JsonNode result, JsonNode after, boolean returned) {
        return (result == null ? null : Json.write(result))
                + " after "
                + Json.write(after)
                + (returned ? " (returned)" : "");
    }
}
