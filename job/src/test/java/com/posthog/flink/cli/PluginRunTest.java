package com.posthog.flink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.corpus.PluginCorpus;
import com.posthog.flink.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/plugin-run} over the project's fixture plugins, in process. */
class PluginRunTest {

    record Result(int exitCode, List<String> out, String err) {}

    static String fixture(String name) {
        return TestServices.repoRoot().resolve("udf-plugins/fixtures/" + name).toString();
    }

    static Result run(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                PluginRun.run(
                        args,
                        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        return new Result(
                code,
                text.isEmpty() ? List.of() : List.of(text.split("\n")),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aChainWritesOneLinePerEventWithItsBookkeepingAndNullWhenDropped() throws Exception {
        Result result =
                run(
                        "{\"event\":\"a\",\"team_id\":2,\"properties\":{}}\n\n{\"event\":\"drop me\",\"team_id\":2}\n{\"event\":\"b\",\"team_id\":2}\n",
                        "--plugin",
                        fixture("dropper"),
                        "--plugin",
                        fixture("add-property"),
                        "--config",
                        "value=x");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).hasSize(3);
        JsonNode first = Json.parse(result.out().get(0));
        assertThat(first.get("properties").get("added").asText()).isEqualTo("x");
        assertThat(first.get("properties").get("$plugins_succeeded").toString())
                .isEqualTo(
                        "[\"Dropper (project fixture) (1)\",\"Add property (project fixture) (2)\"]");
        assertThat(result.out().get(1)).isEqualTo("null");
        // Storage and global persist across the run: the second event kept is the adder's second.
        assertThat(Json.parse(result.out().get(2)).get("properties").get("count").asInt())
                .isEqualTo(2);
    }

    @Test
    void configFromTheCommandLineWinsOverTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"value\":\"from file\",\"other\":\"kept\"}");

        Result fromFile =
                run(
                        "{\"event\":\"a\",\"team_id\":2}\n",
                        "--plugin",
                        fixture("add-property"),
                        "--config-file",
                        file.toString());
        Result overridden =
                run(
                        "{\"event\":\"a\",\"team_id\":2}\n",
                        "--plugin",
                        fixture("add-property"),
                        "--config-file",
                        file.toString(),
                        "--config",
                        "value=cli");

        assertThat(Json.parse(fromFile.out().get(0)).get("properties").get("added").asText())
                .isEqualTo("from file");
        assertThat(Json.parse(overridden.out().get(0)).get("properties").get("added").asText())
                .isEqualTo("cli");
    }

    @Test
    void aFailingPluginIsReportedAndTheEventGoesOn() throws Exception {
        Result result =
                run(
                        "{\"event\":\"a\",\"team_id\":2,\"properties\":{}}\n",
                        "--plugin",
                        fixture("thrower"));

        assertThat(result.exitCode()).isZero();
        assertThat(
                        Json.parse(result.out().get(0))
                                .get("properties")
                                .get("$plugins_failed")
                                .toString())
                .isEqualTo("[\"Thrower (project fixture) (1)\"]");
        assertThat(result.err()).contains("ERROR: error thrown in plugin");
    }

    @Test
    void aThrowingSetupOrAMissingPluginExitsWithTwo() {
        Result setup = run("{}\n", "--plugin", fixture("broken-setup"));
        assertThat(setup.exitCode()).isEqualTo(2);
        assertThat(setup.err()).contains("no config given");

        assertThat(run("{}\n", "--plugin", "/nonexistent/plugin").exitCode()).isEqualTo(2);
    }

    @Test
    void aLineThatIsNotAnEventStopsTheRunWithThreeNamingTheLine() {
        Result result =
                run("{\"event\":\"a\",\"team_id\":2}\n[1,2]\n", "--plugin", fixture("dropper"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).hasSize(1);
        assertThat(result.err()).contains("line 2");
    }

    @Test
    void usageMistakesExitWithOne() {
        assertThat(run("", "--config", "a=b").exitCode()).isOne();
        assertThat(run("").exitCode()).isOne();
    }

    @Test
    void theRealGeoipPluginRunsWithTheTestDatabaseAndWithoutOne() throws Exception {
        String event =
                "{\"event\":\"$pageview\",\"team_id\":2,\"ip\":\"89.160.20.129\",\"properties\":{}}\n";
        String plugin = PluginCorpus.folder(PluginCorpus.GEOIP).toString();

        Result located =
                run(event, "--plugin", plugin, "--mmdb", PluginCorpus.testMmdb().toString());
        Result withoutDatabase = run(event, "--plugin", plugin);

        JsonNode properties = Json.parse(located.out().get(0)).get("properties");
        assertThat(properties.get("$geoip_city_name").asText()).isEqualTo("Linköping");
        assertThat(properties.get("$geoip_country_code").asText()).isEqualTo("SE");
        assertThat(properties.get("$plugins_succeeded").toString()).isEqualTo("[\"GeoIP (1)\"]");
        // Without --mmdb there is no meta.geoip: the plugin's own error, and the event goes on.
        JsonNode unlocated = Json.parse(withoutDatabase.out().get(0)).get("properties");
        assertThat(unlocated.has("$geoip_city_name")).isFalse();
        assertThat(unlocated.get("$plugins_failed").toString()).isEqualTo("[\"GeoIP (1)\"]");
    }
}
