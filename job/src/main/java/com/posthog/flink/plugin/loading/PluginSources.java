package com.posthog.flink.plugin.loading;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.runtime.PluginCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Obtains a plugin's code from its row (spec §1.2, {@code loadPlugin}), in the original's order of
 * precedence: a local folder ({@code file:} url), then the archive, then the source of a {@code
 * source} plugin. Failures carry the original's messages.
 *
 * <p>The original read only {@code plugin.json} and the entry file; every other file of the plugin
 * is kept too (except {@code node_modules} and files over 1 MB), so that the runtime can resolve
 * the plugin's own relative imports.
 */
public final class PluginSources {

    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final String NODE_MODULES = "node_modules";
    private static final ObjectReader STRICT_JSON =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PluginSources() {}

    /**
     * @param baseDir {@code BASE_DIR}, against which {@code file:} urls resolve
     */
    public static PluginCode codeOf(PluginRow plugin, String baseDir) throws PluginSourceException {
        if (plugin.url() != null && plugin.url().startsWith("file:")) {
            return local(
                    plugin, Path.of(baseDir).toAbsolutePath().resolve(plugin.url().substring(5)));
        }
        if (plugin.archive() != null) {
            return archived(plugin);
        }
        if ("source".equals(plugin.pluginType())
                && plugin.source() != null
                && !plugin.source().isEmpty()) {
            return new PluginCode(plugin.name(), "index.ts", Map.of("index.ts", plugin.source()));
        }
        throw new PluginSourceException(
                "Tried using undownloaded remote " + digest(plugin) + ", which is not supported!");
    }

    /** {@code plugin <name> ID <id> (organization ID <org>[ - global])}, as in the messages. */
    public static String digest(PluginRow plugin) {
        return "plugin "
                + plugin.name()
                + " ID "
                + plugin.id()
                + " (organization ID "
                + plugin.organizationId()
                + (plugin.isGlobal() ? " - global" : "")
                + ")";
    }

    private static PluginCode local(PluginRow plugin, Path folder) throws PluginSourceException {
        Path root = folder.normalize();
        Path configPath = root.resolve("plugin.json");
        JsonNode config = null;
        if (Files.exists(configPath)) {
            try {
                config = parseJson(text(Files.readAllBytes(configPath)));
            } catch (IOException e) {
                throw new PluginSourceException(
                        "Could not load posthog config at \""
                                + configPath
                                + "\" for "
                                + digest(plugin));
            }
        }
        String main = main(config);
        if (main == null && !Files.exists(root.resolve("index.js"))) {
            throw new PluginSourceException(
                    "No \"main\" config key or \"index.js\" file found for " + digest(plugin));
        }
        Path entryPath = root.resolve(main != null ? main : "index.js").normalize();
        String entryCode;
        try {
            entryCode = text(Files.readAllBytes(entryPath));
        } catch (NoSuchFileException e) {
            // Node's message, which the original passed on.
            throw new PluginSourceException(
                    "ENOENT: no such file or directory, open '" + entryPath + "'");
        } catch (IOException e) {
            throw new PluginSourceException("Could not read " + entryPath + ": " + e.getMessage());
        }
        String entry = relative(root, entryPath);
        Map<String, String> files = readFolder(root);
        files.put(entry, entryCode);
        return new PluginCode(plugin.name(), entry, files);
    }

    private static Map<String, String> readFolder(Path root) throws PluginSourceException {
        Map<String, String> files = new TreeMap<>();
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(
                                Path dir, BasicFileAttributes attributes) {
                            return dir.getFileName().toString().equals(NODE_MODULES)
                                    ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                                throws IOException {
                            if (attributes.isRegularFile() && attributes.size() <= MAX_FILE_BYTES) {
                                files.put(relative(root, file), text(Files.readAllBytes(file)));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new PluginSourceException("Could not read " + root + ": " + e.getMessage());
        }
        return files;
    }

    private static PluginCode archived(PluginRow plugin) throws PluginSourceException {
        List<Archives.Entry> entries = readArchive(plugin.archive());
        // The root is the folder of the first entry; for a folder entry "x/", that folder itself.
        String first = entries.isEmpty() ? "" : entries.get(0).name();
        String root = first.substring(0, first.lastIndexOf('/') + 1);
        Map<String, byte[]> underRoot = new TreeMap<>();
        for (Archives.Entry entry : entries) {
            if (!entry.directory() && entry.name().startsWith(root)) {
                underRoot.put(entry.name().substring(root.length()), entry.contents());
            }
        }

        JsonNode config = null;
        byte[] json = underRoot.get("plugin.json");
        if (json != null && json.length > 0) {
            try {
                config = parseJson(text(json));
            } catch (IOException e) {
                throw new PluginSourceException("Can not load plugin.json for " + digest(plugin));
            }
        }
        String main = main(config);
        String entry = main != null ? main : "index.js";
        byte[] entryCode = underRoot.get(entry);
        if (entryCode == null || entryCode.length == 0) {
            throw new PluginSourceException("Could not load index.js for " + digest(plugin) + "!");
        }

        Map<String, String> files = new TreeMap<>();
        underRoot.forEach(
                (name, contents) -> {
                    boolean wanted =
                            contents.length <= MAX_FILE_BYTES
                                    && !List.of(name.split("/")).contains(NODE_MODULES);
                    if (wanted || name.equals("plugin.json") || name.equals(entry)) {
                        files.put(name, text(contents));
                    }
                });
        return new PluginCode(plugin.name(), entry, files);
    }

    /** Zip first, then gzipped tar, as the original tried them. */
    private static List<Archives.Entry> readArchive(byte[] archive) throws PluginSourceException {
        try {
            return Archives.readZip(archive);
        } catch (IOException | RuntimeException notZip) {
            try {
                return Archives.readTgz(archive);
            } catch (IOException | RuntimeException notTgz) {
                throw new PluginSourceException("Could not read archive as .zip or .tgz");
            }
        }
    }

    /** {@code config.main}, if truthy; else null (then {@code index.js} is the entry). */
    private static String main(JsonNode config) {
        JsonNode main = config == null ? null : config.get("main");
        return Json.truthy(main) ? Json.jsString(main) : null;
    }

    /** {@code JSON.parse}: nothing but one JSON value. */
    private static JsonNode parseJson(String text) throws IOException {
        JsonNode node = STRICT_JSON.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new IOException("no JSON value");
        }
        return node;
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
