package com.posthog.flink.plugin.corpus;

import com.posthog.flink.plugin.loading.PluginRow;
import com.posthog.flink.plugin.loading.PluginSources;
import com.posthog.flink.plugin.runtime.PluginCode;
import com.posthog.flink.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real PostHog plugins of the acceptance corpus (shared reference real-plugins.md), fetched
 * from the npm registry at test time by {@code scripts/lib/fetch-plugin-corpus.sh}, which pins each
 * version and integrity hash: their code never enters the repository. Fetched once per JVM, into
 * {@code job/target/plugin-corpus}.
 */
public final class PluginCorpus {

    public static final String PROPERTY_FILTER = "property-filter-plugin";
    public static final String PROPERTY_FLATTENER = "property-flattener-plugin";
    public static final String TAXONOMY = "taxonomy-plugin";
    public static final String GEOIP = "geoip-plugin";

    private static Path root;

    private PluginCorpus() {}

    /** The extracted {@code package/} folder of a plugin, e.g. {@link #GEOIP}. */
    public static synchronized Path folder(String name) {
        if (root == null) {
            root = fetch(TestServices.repoRoot().resolve("job/target/plugin-corpus"));
        }
        return root.resolve(name);
    }

    /** The MaxMind test database that ships in the geoip plugin's tarball. */
    public static Path testMmdb() {
        return folder(GEOIP).resolve("GeoLite2-City-Test.mmdb");
    }

    /** A plugin's code as the server loads a {@code local} plugin from its folder. */
    public static PluginCode code(String name) {
        try {
            PluginRow row =
                    new PluginRow(
                            1,
                            "org",
                            "local",
                            false,
                            name,
                            "file:" + folder(name).toAbsolutePath(),
                            null,
                            null,
                            null,
                            "{}");
            return PluginSources.codeOf(row, "");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load " + name + ": " + e.getMessage(), e);
        }
    }

    private static Path fetch(Path dest) {
        Path script = TestServices.repoRoot().resolve("scripts/lib/fetch-plugin-corpus.sh");
        try {
            Process process =
                    new ProcessBuilder("bash", script.toString(), dest.toString())
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "Fetching the plugin corpus failed: " + output.strip());
            }
            return dest;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching the plugin corpus", e);
        }
    }
}
