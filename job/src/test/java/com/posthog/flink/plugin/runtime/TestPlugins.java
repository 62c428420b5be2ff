package com.posthog.flink.plugin.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Plugin code for tests: inline sources or a folder under {@code plugin-runtime/}. */
final class TestPlugins {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final PluginLimits LIMITS = new PluginLimits(TIMEOUT, 256L * 1024 * 1024);
    static final String EVENT =
            "{\"event\":\"$pageview\",\"distinct_id\":\"007\",\"team_id\":2,"
                    + "\"properties\":{\"$current_url\":\"https://example.com/a?b=1\"}}";

    private TestPlugins() {}

    /** A one-file plugin, {@code index.js}. */
    static PluginCode js(String source) {
        return files("index.js", "index.js", source);
    }

    /** A plugin from alternating paths and sources. */
    static PluginCode files(String entry, String... pathsAndSources) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndSources.length; i += 2) {
            files.put(pathsAndSources[i], pathsAndSources[i + 1]);
        }
        return new PluginCode("test plugin", entry, files);
    }

    /** Every file of {@code src/test/resources/plugin-runtime/<folder>}. */
    static PluginCode fixture(String folder, String entry) {
        try {
            Path root = Path.of(TestPlugins.class.getResource("/plugin-runtime/" + folder).toURI());
            Map<String, String> files = new LinkedHashMap<>();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    files.put(root.relativize(path).toString(), Files.readString(path));
                }
            }
            return new PluginCode(folder, entry, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static PluginVm load(PluginCode code, TestingPluginServices services)
            throws PluginLoadException {
        return PluginVm.load(code, services, LIMITS);
    }

    static PluginVm load(String indexJs) throws PluginLoadException {
        return load(js(indexJs), new TestingPluginServices());
    }
}
