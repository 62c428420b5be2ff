package com.posthog.flink.cli.pluginrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.PluginHost;
import com.posthog.flink.plugin.runtime.PluginVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --dump-state FILE}: {@code {"<name> (k)": {"storage", "cache", "global"}}} after the run
 * (CONTRACTS.md), keys as the plugin used them. Storage and cache strings are JSON-decoded (a cache
 * string that is not JSON, set with {@code jsonSerialize: false}, stays a string); cache lists are
 * the pushed strings, head first; {@code global} holds each key's JSON, leaves out what JSON leaves
 * out (functions), and shows what cannot be serialised (a cycle) as its {@code
 * Object.prototype.toString} tag.
 */
final class StateDump {

    private StateDump() {}

    static void write(Path file, PluginHost host, HarnessContext context, int plugins)
            throws Exception {
        ObjectNode dump = Json.MAPPER.createObjectNode();
        for (long k = 1; k <= plugins; k++) {
            ObjectNode state = dump.putObject(PluginRows.label(context.configs(), k));
            ObjectNode storage = state.putObject("storage");
            for (Map.Entry<String, String> entry : context.storage().entries(k).entrySet()) {
                storage.set(entry.getKey(), Json.parse(entry.getValue()));
            }
            ObjectNode cache = state.putObject("cache");
            // Plugin k is plugin id k (PluginRun), so its cache is scoped by k.
            for (Map.Entry<String, Object> entry :
                    context.cache().entries(k, PluginRows.TEAM).entrySet()) {
                cache.set(
                        entry.getKey(),
                        entry.getValue() instanceof List<?> list
                                ? Json.MAPPER.valueToTree(list)
                                : decoded((String) entry.getValue()));
            }
            PluginVm vm = host.loaded(k);
            state.set("global", vm == null ? null : Json.parse(vm.globalJson()));
        }
        Files.writeString(file, Json.write(dump) + "\n");
    }

    private static JsonNode decoded(String value) {
        JsonNode json = JsonText.parse(value);
        return json == null ? Json.MAPPER.getNodeFactory().textNode(value) : json;
    }
}
