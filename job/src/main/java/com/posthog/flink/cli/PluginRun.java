package com.posthog.flink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.PluginHost;
import com.posthog.flink.plugin.PluginHostContext;
import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.loading.AttachmentRow;
import com.posthog.flink.plugin.loading.PluginConfigRow;
import com.posthog.flink.plugin.loading.PluginConfigs;
import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.loading.PluginSources;
import com.posthog.flink.plugin.runtime.PluginCode;
import com.posthog.flink.plugin.runtime.PluginLimits;
import com.posthog.flink.plugin.runtime.PluginServices;
import com.posthog.flink.plugin.services.DefaultPluginServices;
import com.posthog.flink.plugin.services.MemoryPluginCache;
import com.posthog.flink.plugin.services.MemoryPluginStorage;
import com.posthog.flink.plugin.services.PluginLogEntry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code scripts/plugin-run}: runs plugins over events read as JSON lines, offline, with the job's
 * own runtime (CONTRACTS.md). One instance of each plugin serves the whole run; state lives in
 * memory. Exit codes: 0 done, 1 usage, 2 a plugin failed to load or set up, 3 a bad input line.
 */
public final class PluginRun {

    static final long TEAM = 2;
    static final String ORGANIZATION = "00000000-0000-0000-0000-000000000000";

    /** One {@code --plugin} with the options that follow it. */
    record PluginArgs(String path, ObjectNode config, List<String[]> attachments) {}

    private PluginRun() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<PluginArgs> plugins = new ArrayList<>();
        Duration timeout = PluginLimits.DEFAULTS.taskTimeout();
        String mmdb = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (arg) {
                    case "--plugin" ->
                            plugins.add(
                                    new PluginArgs(
                                            required(arg, value),
                                            Json.MAPPER.createObjectNode(),
                                            new ArrayList<>()));
                    case "--config" -> {
                        String pair = required(arg, value);
                        int equals = pair.indexOf('=');
                        if (equals <= 0) {
                            throw new IllegalArgumentException(
                                    "--config takes KEY=VALUE, not '" + pair + "'");
                        }
                        last(plugins, arg)
                                .config()
                                .put(pair.substring(0, equals), pair.substring(equals + 1));
                    }
                    case "--config-file" -> {
                        JsonNode file = Json.parse(Files.readString(Path.of(required(arg, value))));
                        if (!file.isObject()) {
                            throw new IllegalArgumentException(
                                    "--config-file must hold a JSON object");
                        }
                        ObjectNode merged = ((ObjectNode) file).deepCopy();
                        merged.setAll(last(plugins, arg).config());
                        last(plugins, arg).config().removeAll().setAll(merged);
                    }
                    case "--attachment" ->
                            last(plugins, arg)
                                    .attachments()
                                    .add(required(arg, value).split("=", 2));
                    case "--mmdb" -> mmdb = required(arg, value);
                    case "--timeout" ->
                            timeout =
                                    Duration.ofMillis(
                                            (long)
                                                    (Double.parseDouble(required(arg, value))
                                                            * 1000));
                    default -> throw new IllegalArgumentException("Unknown argument '" + arg + "'");
                }
                i++;
            }
            if (plugins.isEmpty()) {
                throw new IllegalArgumentException(
                        "Give at least one --plugin DIR|FILE.zip|FILE.tgz");
            }
        } catch (Exception e) {
            err.println("plugin-run: " + e.getMessage());
            err.println(
                    "Usage: scripts/plugin-run --plugin DIR|FILE.zip|FILE.tgz [--config KEY=VALUE]... [--config-file FILE.json] [--attachment KEY=FILE[:TYPE]]... [--mmdb FILE] [--timeout SECONDS] < events.jsonl");
            return 1;
        }

        PluginConfigs configs;
        GeoIp geoIp;
        try {
            configs = configs(plugins);
            geoIp = mmdb == null ? null : GeoIp.open(Path.of(mmdb));
        } catch (Exception e) {
            err.println("plugin-run: " + e.getMessage());
            return 2;
        }
        try (PluginHost host =
                new PluginHost(
                        configs,
                        "",
                        new PluginLimits(timeout, PluginLimits.DEFAULTS.memoryLimitBytes()),
                        plugins.size(),
                        new MemoryContext(configs, err, geoIp),
                        System::currentTimeMillis,
                        PluginHost.Listener.NONE)) {
            List<String> failures = host.setUp(TEAM);
            if (!failures.isEmpty()) {
                err.println("plugin-run: the plugin failed to load: " + failures.get(0));
                return 2;
            }
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = Json.parse(line);
                } catch (Exception e) {
                    event = null;
                }
                if (event == null || !event.isObject()) {
                    err.println("plugin-run: line " + number + " is not a JSON object (an event).");
                    return 3;
                }
                ObjectNode processed = host.processEvent(TEAM, (ObjectNode) event);
                out.println(processed == null ? "null" : Json.write(processed));
            }
            return 0;
        } catch (Exception e) {
            err.println("plugin-run: " + Preflight.rootMessage(e));
            return 1;
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static PluginArgs last(List<PluginArgs> plugins, String option) {
        if (plugins.isEmpty()) {
            throw new IllegalArgumentException(option + " must follow a --plugin");
        }
        return plugins.get(plugins.size() - 1);
    }

    /** Plugin k (from 1) is plugin id k and config id k of team 2, in the given order. */
    static PluginConfigs configs(List<PluginArgs> plugins) throws Exception {
        List<PluginRow> rows = new ArrayList<>();
        List<PluginConfigRow> configRows = new ArrayList<>();
        List<AttachmentRow> attachmentRows = new ArrayList<>();
        for (int k = 1; k <= plugins.size(); k++) {
            PluginArgs plugin = plugins.get(k - 1);
            Path path = Path.of(plugin.path()).toAbsolutePath();
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("No plugin at " + path);
            }
            boolean folder = Files.isDirectory(path);
            byte[] archive = folder ? null : Files.readAllBytes(path);
            String url = folder ? "file:" + path : null;
            String type = folder ? "local" : "custom";
            PluginRow unnamed =
                    new PluginRow(
                            k,
                            ORGANIZATION,
                            type,
                            false,
                            path.getFileName().toString(),
                            url,
                            null,
                            archive,
                            null,
                            null);
            PluginCode code = PluginSources.codeOf(unnamed, "");
            rows.add(
                    new PluginRow(
                            k,
                            ORGANIZATION,
                            type,
                            false,
                            nameOf(code, unnamed.name()),
                            url,
                            null,
                            archive,
                            null,
                            null));
            configRows.add(
                    new PluginConfigRow(k, TEAM, k, true, k, Json.write(plugin.config()), null));
            for (String[] attachment : plugin.attachments()) {
                attachmentRows.add(attachment(k, attachmentRows.size() + 1, attachment));
            }
        }
        return PluginConfigs.of(rows, configRows, attachmentRows);
    }

    /** {@code KEY=FILE[:TYPE]}; the {@code :TYPE} suffix counts only when it contains {@code /}. */
    private static AttachmentRow attachment(long configId, long id, String[] keyAndFile)
            throws Exception {
        if (keyAndFile.length != 2) {
            throw new IllegalArgumentException("--attachment takes KEY=FILE[:TYPE]");
        }
        String file = keyAndFile[1];
        String type = "application/octet-stream";
        int colon = file.lastIndexOf(':');
        if (colon > 0 && file.substring(colon + 1).contains("/")) {
            type = file.substring(colon + 1);
            file = file.substring(0, colon);
        }
        Path path = Path.of(file);
        return new AttachmentRow(
                id,
                TEAM,
                configId,
                keyAndFile[0],
                type,
                path.getFileName().toString(),
                Files.readAllBytes(path));
    }

    private static String nameOf(PluginCode code, String fallback) {
        try {
            String json = code.files().get("plugin.json");
            JsonNode name = json == null ? null : Json.parse(json).get("name");
            return name != null && name.isTextual() ? name.textValue() : fallback;
        } catch (Exception e) {
            return fallback;
        }
    }

    /** State in memory; logs and errors to standard error. */
    private static final class MemoryContext implements PluginHostContext {

        private final PluginConfigs configs;
        private final PrintStream err;
        private final MemoryPluginStorage storage = new MemoryPluginStorage();
        private final MemoryPluginCache cache = new MemoryPluginCache();
        private final GeoIp geoIp;

        /**
         * @param geoIp the {@code --mmdb} database; without it {@code meta.geoip} is absent
         */
        MemoryContext(PluginConfigs configs, PrintStream err, GeoIp geoIp) {
            this.configs = configs;
            this.err = err;
            this.geoIp = geoIp;
        }

        private String label(long configId) {
            PluginConfigRow config = configs.configs().get(configId);
            return configs.plugins().get(config.pluginId()).name() + " (" + configId + ")";
        }

        @Override
        public PluginServices services(
                PluginConfigRow config, PluginRow plugin, Consumer<String> captures) {
            return new DefaultPluginServices(
                    config,
                    configs.attachments(config.id()),
                    "plugin-run",
                    storage,
                    cache,
                    entry ->
                            err.println(
                                    label(entry.pluginConfigId())
                                            + " "
                                            + entry.type()
                                            + ": "
                                            + entry.message()),
                    captures,
                    geoIp,
                    geoIp != null,
                    null,
                    null);
        }

        @Override
        public void setError(PluginConfigRow config, ObjectNode error) {}

        @Override
        public void clearError(PluginConfigRow config) {}

        @Override
        public void disable(PluginConfigRow config) {}

        @Override
        public void setCapabilities(
                PluginRow plugin, ObjectNode capabilities, Map<String, String> metrics) {}

        @Override
        public void log(
                PluginConfigRow config,
                PluginLogEntry.Source source,
                PluginLogEntry.Type type,
                String message) {
            err.println(label(config.id()) + " " + type + ": " + message);
        }

        @Override
        public void capture(PluginConfigRow config, String uuid, String eventJson) {
            err.println(label(config.id()) + " captured: " + eventJson);
        }
    }
}
