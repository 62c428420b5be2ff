package com.posthog.flink.plugin.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posthog.flink.plugin.runtime.PluginCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginSourcesTest {

    private static final String ORG = "0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001";
    private static final String DIGEST = "plugin my-plugin ID 7 (organization ID " + ORG + ")";
    private static final String PROCESS_EVENT = "export function processEvent(e) { return e }";

    @TempDir Path baseDir;

    private static PluginRow plugin(String type, String url, byte[] archive, String source) {
        return new PluginRow(7, ORG, type, false, "my-plugin", url, null, archive, source, "{}");
    }

    private static PluginRow archived(byte[] archive) {
        return plugin("custom", "https://github.com/x/my-plugin", archive, null);
    }

    private PluginCode codeOf(PluginRow plugin) throws PluginSourceException {
        return PluginSources.codeOf(plugin, baseDir.toString());
    }

    private static Map<String, String> entries(String... namesAndContents) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            entries.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return entries;
    }

    // --- archives

    @Test
    void zipWhoseFirstEntryIsAFolderHasItsRootThere() throws Exception {
        byte[] zip =
                TestArchives.zip(
                        entries(
                                "my-plugin-main/", "",
                                "my-plugin-main/plugin.json", "{\"main\": \"src/main.js\"}",
                                "my-plugin-main/src/", "",
                                "my-plugin-main/src/main.js", PROCESS_EVENT,
                                "my-plugin-main/src/util.js", "export const x = 1"));

        PluginCode code = codeOf(archived(zip));

        assertThat(code.name()).isEqualTo("my-plugin");
        assertThat(code.entry()).isEqualTo("src/main.js");
        assertThat(code.files())
                .containsOnlyKeys("plugin.json", "src/main.js", "src/util.js")
                .containsEntry("src/main.js", PROCESS_EVENT);
    }

    @Test
    void zipWhoseFirstEntryIsAFileInAFolderHasItsRootInThatFolder() throws Exception {
        byte[] zip =
                TestArchives.zip(
                        entries(
                                "repo-abc123/index.js", PROCESS_EVENT,
                                "repo-abc123/plugin.json", "{\"name\": \"x\"}",
                                "repo-abc123/lib/helper.js", "export const y = 2",
                                "elsewhere/index.js", "not this one"));

        PluginCode code = codeOf(archived(zip));

        assertThat(code.entry()).isEqualTo("index.js");
        assertThat(code.files())
                .containsOnlyKeys("index.js", "plugin.json", "lib/helper.js")
                .containsEntry("index.js", PROCESS_EVENT);
    }

    @Test
    void zipWithFilesAtTheTopLevel() throws Exception {
        byte[] zip = TestArchives.zip(entries("index.js", PROCESS_EVENT, "README.md", "hi"));

        PluginCode code = codeOf(archived(zip));

        assertThat(code.entry()).isEqualTo("index.js");
        assertThat(code.files()).containsOnlyKeys("index.js", "README.md");
    }

    @Test
    void tgzAsNpmPacksIt() throws Exception {
        byte[] tgz =
                TestArchives.tgz(
                        entries(
                                "package/plugin.json", "{\"main\": \"dist/index.js\"}",
                                "package/dist/index.js", PROCESS_EVENT,
                                "package/node_modules/dep/index.js", "left out"));

        PluginCode code = codeOf(archived(tgz));

        assertThat(code.entry()).isEqualTo("dist/index.js");
        assertThat(code.files())
                .containsOnlyKeys("plugin.json", "dist/index.js")
                .containsEntry("dist/index.js", PROCESS_EVENT);
    }

    @Test
    void tgzAsGitHubServesItWithAGlobalHeaderAndLongNames() throws Exception {
        String longFolder = "a".repeat(60) + "/" + "b".repeat(60);
        byte[] tgz =
                TestArchives.githubTgz(
                        entries(
                                "PostHog-my-plugin-0a1b2c3/",
                                "",
                                "PostHog-my-plugin-0a1b2c3/index.ts",
                                PROCESS_EVENT,
                                "PostHog-my-plugin-0a1b2c3/plugin.json",
                                "{\"main\": \"index.ts\"}",
                                "PostHog-my-plugin-0a1b2c3/" + longFolder + "/deep.ts",
                                "deep"));

        PluginCode code = codeOf(archived(tgz));

        assertThat(code.entry()).isEqualTo("index.ts");
        assertThat(code.files())
                .containsOnlyKeys("index.ts", "plugin.json", longFolder + "/deep.ts")
                .containsEntry(longFolder + "/deep.ts", "deep");
    }

    @Test
    void archiveFilesOverOneMegabyteAreLeftOutButNotTheEntry() throws Exception {
        String big = "x".repeat((int) PluginSources.MAX_FILE_BYTES + 1);
        byte[] zip = TestArchives.zip(entries("p/index.js", big, "p/data.json", big));

        PluginCode code = codeOf(archived(zip));

        assertThat(code.files()).containsOnlyKeys("index.js");
    }

    @Test
    void archiveThatIsNeitherZipNorTgz() {
        byte[] garbage = "definitely not an archive".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codeOf(archived(garbage)))
                .isInstanceOf(PluginSourceException.class)
                .hasMessage("Could not read archive as .zip or .tgz");
    }

    @Test
    void gzipThatIsNotATar() throws Exception {
        byte[] gzip = TestArchives.gzip("plain text, gzipped".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codeOf(archived(gzip)))
                .hasMessage("Could not read archive as .zip or .tgz");
    }

    @Test
    void archiveWithInvalidPluginJson() throws Exception {
        byte[] zip = TestArchives.zip(entries("p/plugin.json", "{main:", "p/index.js", "x"));

        assertThatThrownBy(() -> codeOf(archived(zip)))
                .isInstanceOf(PluginSourceException.class)
                .hasMessage("Can not load plugin.json for " + DIGEST);
    }

    @Test
    void archiveWithoutTheEntryFile() throws Exception {
        byte[] noIndex = TestArchives.tgz(entries("package/plugin.json", "{}", "package/a.js", ""));
        byte[] missingMain =
                TestArchives.zip(
                        entries("p/plugin.json", "{\"main\": \"dist/x.js\"}", "p/index.js", "x"));

        assertThatThrownBy(() -> codeOf(archived(noIndex)))
                .hasMessage("Could not load index.js for " + DIGEST + "!");
        assertThatThrownBy(() -> codeOf(archived(missingMain)))
                .hasMessage("Could not load index.js for " + DIGEST + "!");
    }

    // --- local plugins

    @Test
    void localPluginReadsItsFolderWithoutNodeModulesOrBigFiles() throws Exception {
        Path folder = baseDir.resolve("plugins/my-plugin");
        write(folder.resolve("plugin.json"), "{\"main\": \"dist/index.js\"}");
        write(folder.resolve("dist/index.js"), PROCESS_EVENT);
        write(folder.resolve("lib/helper.js"), "export const z = 3");
        write(folder.resolve("node_modules/dep/index.js"), "left out");
        write(folder.resolve("big.json"), "x".repeat((int) PluginSources.MAX_FILE_BYTES + 1));

        PluginCode code = codeOf(plugin("local", "file:plugins/my-plugin", null, null));

        assertThat(code.entry()).isEqualTo("dist/index.js");
        assertThat(code.files())
                .containsOnlyKeys("plugin.json", "dist/index.js", "lib/helper.js")
                .containsEntry("dist/index.js", PROCESS_EVENT);
    }

    @Test
    void localPluginWithoutPluginJsonUsesIndexJs() throws Exception {
        write(baseDir.resolve("simple/index.js"), PROCESS_EVENT);

        PluginCode code = codeOf(plugin("local", "file:simple", null, null));

        assertThat(code.entry()).isEqualTo("index.js");
        assertThat(code.files()).containsOnlyKeys("index.js");
    }

    @Test
    void localPluginWithAnAbsolutePath() throws Exception {
        Path folder = baseDir.resolve("absolute");
        write(folder.resolve("index.js"), PROCESS_EVENT);

        PluginCode code = PluginSources.codeOf(plugin("local", "file:" + folder, null, null), "/");

        assertThat(code.files()).containsEntry("index.js", PROCESS_EVENT);
    }

    @Test
    void localPluginWithInvalidPluginJson() throws Exception {
        Path folder = baseDir.resolve("broken");
        write(folder.resolve("plugin.json"), "{\"main\": ");
        write(folder.resolve("index.js"), PROCESS_EVENT);

        assertThatThrownBy(() -> codeOf(plugin("local", "file:broken", null, null)))
                .isInstanceOf(PluginSourceException.class)
                .hasMessage(
                        "Could not load posthog config at \""
                                + folder.resolve("plugin.json")
                                + "\" for "
                                + DIGEST);
    }

    @Test
    void localPluginWithoutMainOrIndexJs() throws Exception {
        write(baseDir.resolve("empty/plugin.json"), "{\"name\": \"empty\"}");

        assertThatThrownBy(() -> codeOf(plugin("local", "file:empty", null, null)))
                .hasMessage("No \"main\" config key or \"index.js\" file found for " + DIGEST);
    }

    @Test
    void localPluginWhoseMainIsMissing() throws Exception {
        write(baseDir.resolve("gone/plugin.json"), "{\"main\": \"dist/index.js\"}");

        assertThatThrownBy(() -> codeOf(plugin("local", "file:gone", null, null)))
                .hasMessage(
                        "ENOENT: no such file or directory, open '"
                                + baseDir.resolve("gone/dist/index.js")
                                + "'");
    }

    // --- source plugins, precedence, digest

    @Test
    void sourcePluginIsItsSourceAsIndexTs() throws Exception {
        PluginCode code = codeOf(plugin("source", null, null, PROCESS_EVENT));

        assertThat(code.entry()).isEqualTo("index.ts");
        assertThat(code.files()).isEqualTo(Map.of("index.ts", PROCESS_EVENT));
    }

    @Test
    void localUrlComesBeforeTheArchiveAndTheArchiveBeforeTheSource() throws Exception {
        write(baseDir.resolve("local/index.js"), "local");
        byte[] zip = TestArchives.zip(entries("p/index.js", "archived"));

        PluginCode local = codeOf(plugin("local", "file:local", zip, "source"));
        PluginCode archive = codeOf(plugin("source", null, zip, "source"));

        assertThat(local.files()).containsEntry("index.js", "local");
        assertThat(archive.files()).containsEntry("index.js", "archived");
    }

    @Test
    void remotePluginWithoutArchiveIsNotSupported() {
        assertThatThrownBy(() -> codeOf(archived(null)))
                .hasMessage(
                        "Tried using undownloaded remote " + DIGEST + ", which is not supported!");
        assertThatThrownBy(() -> codeOf(plugin("source", null, null, "")))
                .hasMessage(
                        "Tried using undownloaded remote " + DIGEST + ", which is not supported!");
    }

    @Test
    void digestMarksGlobalPlugins() {
        PluginRow global =
                new PluginRow(3, ORG, "repository", true, "geoip", null, null, null, null, "{}");

        assertThat(PluginSources.digest(global))
                .isEqualTo("plugin geoip ID 3 (organization ID " + ORG + " - global)");
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
