package com.posthog.flink.plugin.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.ProcessEventChain;
import com.posthog.flink.plugin.runtime.PluginCallException;
import com.posthog.flink.plugin.runtime.PluginLimits;
import com.posthog.flink.plugin.runtime.PluginVm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A corpus plugin loaded in the real runtime as the server loads it: {@link PluginVm#load}, then
 * {@code setupPlugin} when it has one. Events go in and come out as JSON text, as JavaScript wrote
 * them, so numbers are compared as JavaScript prints them ({@code 35}, not {@code 35.0}).
 */
final class CorpusPlugin implements AutoCloseable {

    /** Generous: the first TypeScript plugin of a JVM waits for the compiler to load. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final PluginLimits LIMITS = new PluginLimits(TIMEOUT, 256L * 1024 * 1024);

    final PluginVm vm;
    final CorpusServices services;
    private final String label;

    /** The {@code (member, error message)} of each failure the chain recorded. */
    final List<String> chainFailures = new ArrayList<>();

    private CorpusPlugin(String name, CorpusServices services) throws Exception {
        this.services = services;
        this.label = name + " (1)";
        this.vm = PluginVm.load(PluginCorpus.code(name), services, LIMITS);
        if (vm.methods().contains("setupPlugin")) {
            vm.call("setupPlugin", TIMEOUT);
        }
    }

    static CorpusPlugin load(String name, CorpusServices services) throws Exception {
        return new CorpusPlugin(name, services);
    }

    static CorpusPlugin load(String name, String configJson) throws Exception {
        return new CorpusPlugin(name, CorpusServices.withConfig(configJson));
    }

    /**
     * {@code processEvent(event)}'s result as JSON text, the event crossing as the plugin stage
     * passes it; null when it returned nothing.
     */
    String processEvent(String eventJson) throws Exception {
        JsonNode result = vm.processEvent(TIMEOUT, Json.parseObject(eventJson)).result();
        return result == null ? null : Json.write(result);
    }

    /**
     * The event after a chain of this plugin alone, with the {@code $plugins_*} bookkeeping of the
     * original (spec §2.2), as {@code PluginHost} runs it.
     */
    ObjectNode chain(String eventJson) throws Exception {
        ProcessEventChain.Member member =
                new ProcessEventChain.Member() {
                    @Override
                    public String label() {
                        return label;
                    }

                    @Override
                    public boolean hasProcessEvent() {
                        return vm.methods().contains("processEvent");
                    }

                    @Override
                    public boolean hasDeferred() {
                        return vm.methods().contains("onEvent")
                                || vm.methods().contains("onSnapshot");
                    }

                    @Override
                    public ProcessEventChain.Call processEvent(ObjectNode event)
                            throws ProcessEventChain.Failure {
                        try {
                            PluginVm.EventResult result = vm.processEvent(TIMEOUT, event);
                            return new ProcessEventChain.Call(
                                    result.result(), result.eventAfter(), result.returnedEvent());
                        } catch (PluginCallException e) {
                            ObjectNode after = null;
                            try {
                                after = Json.parseObject(e.argumentsAfterJson().get(0));
                            } catch (Exception unreadable) {
                                // as PluginHost: the chain goes on with the event it had
                            }
                            throw new ProcessEventChain.Failure(
                                    e.errorName(), e.getMessage(), after);
                        } catch (Exception e) {
                            throw new ProcessEventChain.Failure("Error", e.getMessage(), null);
                        }
                    }
                };
        return ProcessEventChain.run(
                Json.parseObject(eventJson),
                List.of(member),
                (m, failure, event) -> chainFailures.add(m.label() + ": " + failure.getMessage()));
    }

    /** Asserts two JSON texts hold the same value; object key order aside, numbers as typed. */
    static void assertSameJson(String actual, String expected) throws Exception {
        JsonNode expectedNode = Json.parse(expected);
        assertThat(actual).as("the plugin's output").isNotNull();
        // As an Object: AssertJ would take a JsonNode for an Iterable and print it as one.
        assertThat((Object) Json.parse(actual)).isEqualTo(expectedNode);
    }

    @Override
    public void close() {
        vm.close();
    }
}
