package com.posthog.flink.plugin.corpus;

import static com.posthog.flink.plugin.corpus.CorpusPlugin.assertSameJson;
import static com.posthog.flink.plugin.corpus.Events.b;
import static com.posthog.flink.plugin.corpus.Events.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.geoip.GeoIp;
import com.posthog.flink.plugin.runtime.PluginCallException;
import com.posthog.flink.plugin.runtime.PluginServices;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @posthog/geoip-plugin} 0.0.7 (TypeScript) in the real runtime with {@link GeoIp} on the
 * MaxMind test database of its tarball: the cases of real-plugins.md §4.4 and the plugin's six jest
 * tests. Its cache entry {@code distinct_id → "ip|timestamp"} (TTL one day) decides whether the
 * person properties {@code $set}/{@code $set_once} are written.
 */
class GeoipPluginTest {

    private static final String LINKOPING =
            """
            {"city_name": "Linköping", "country_name": "Sweden", "country_code": "SE",
             "continent_name": "Europe", "continent_code": "EU",
             "latitude": 58.4167, "longitude": 15.6167, "time_zone": "Europe/Stockholm",
             "subdivision_1_code": "E", "subdivision_1_name": "Östergötland County"}
            """;

    private static final String LONDON =
            """
            {"city_name": "London", "country_name": "United Kingdom", "country_code": "GB",
             "continent_name": "Europe", "continent_code": "EU",
             "latitude": 51.5142, "longitude": -0.0931, "time_zone": "Europe/London",
             "subdivision_1_code": "ENG", "subdivision_1_name": "England"}
            """;

    /** The person properties the plugin always writes, {@code null} until located. */
    private static final List<String> PERSON_FIELDS =
            List.of(
                    "city_name",
                    "country_name",
                    "country_code",
                    "continent_name",
                    "continent_code",
                    "postal_code",
                    "latitude",
                    "longitude",
                    "time_zone");

    private static GeoIp geoIp;

    @BeforeAll
    static void openDatabase() throws Exception {
        geoIp = GeoIp.open(PluginCorpus.testMmdb());
    }

    @AfterAll
    static void closeDatabase() throws Exception {
        geoIp.close();
    }

    private static CorpusPlugin plugin() throws Exception {
        return CorpusPlugin.load(PluginCorpus.GEOIP, CorpusServices.withGeoip(geoIp::locate));
    }

    /**
     * {@code input} as the plugin leaves it after locating {@code location}: {@code $geoip_*}
     * properties, and with {@code person} also {@code $set}/{@code $set_once}.
     */
    private static String enriched(ObjectNode input, String location, boolean person) {
        ObjectNode event = input.deepCopy();
        ObjectNode properties =
                event.has("properties")
                        ? (ObjectNode) event.get("properties")
                        : event.putObject("properties");
        ObjectNode set = Json.MAPPER.createObjectNode();
        ObjectNode setOnce = Json.MAPPER.createObjectNode();
        PERSON_FIELDS.forEach(
                field -> {
                    set.putNull("$geoip_" + field);
                    setOnce.putNull("$initial_geoip_" + field);
                });
        Events.object(location)
                .fields()
                .forEachRemaining(
                        field -> {
                            properties.set("$geoip_" + field.getKey(), field.getValue());
                            set.set("$geoip_" + field.getKey(), field.getValue());
                            setOnce.set("$initial_geoip_" + field.getKey(), field.getValue());
                        });
        if (person) {
            event.set("$set", set);
            event.set("$set_once", setOnce);
        }
        return Json.write(event);
    }

    /** Case 1 and the shipped "event/person is enriched with IP location". */
    @Test
    void enrichesTheEventAndThePerson() throws Exception {
        ObjectNode input = p("{\"ip\": \"89.160.20.129\"}");
        try (CorpusPlugin plugin = plugin()) {
            assertSameJson(
                    plugin.processEvent(Json.write(input)), enriched(input, LINKOPING, true));
            assertThat(plugin.services.cacheGet("007"))
                    .isEqualTo("\"89.160.20.129|2020-11-26T12:58:58.453Z\"");
        }
    }

    /**
     * Case 2 and the shipped "$set optimization works": the same IP again sets no person
     * properties, until the cache entry's day has passed.
     */
    @Test
    void sameIpAgainSetsNoPersonPropertiesForADay() throws Exception {
        try (CorpusPlugin plugin = plugin()) {
            ObjectNode first = p("{\"ip\": \"89.160.20.129\"}");
            assertSameJson(
                    plugin.processEvent(Json.write(first)), enriched(first, LINKOPING, true));

            ObjectNode second =
                    p(
                            "{\"ip\": \"89.160.20.129\", \"properties\": {\"foo\": \"same IP second time\"}}");
            assertSameJson(
                    plugin.processEvent(Json.write(second)), enriched(second, LINKOPING, false));

            plugin.services.clock.addAndGet(86_000_000L);
            assertSameJson(
                    plugin.processEvent(Json.write(second)), enriched(second, LINKOPING, false));

            plugin.services.clock.addAndGet(401_000L); // past the TTL of 86400 s
            assertSameJson(
                    plugin.processEvent(Json.write(second)), enriched(second, LINKOPING, true));
        }
    }

    /** The shipped "person props default to null if no values present": a record without city. */
    @Test
    void personPropertiesDefaultToNull() throws Exception {
        CorpusServices services =
                CorpusServices.withGeoip(
                        ip -> {
                            ObjectNode record = Events.object(geoIp.locate(ip));
                            record.remove("city");
                            return Json.write(record);
                        });
        ObjectNode input = p("{\"ip\": \"89.160.20.129\"}");
        try (CorpusPlugin plugin = CorpusPlugin.load(PluginCorpus.GEOIP, services)) {
            ObjectNode withoutCity = Events.object(LINKOPING);
            withoutCity.remove("city_name");
            String expected = enriched(input, Json.write(withoutCity), true);
            assertSameJson(plugin.processEvent(Json.write(input)), expected);
            assertThat(Json.parse(expected).at("/$set/$geoip_city_name").isNull()).isTrue();
        }
    }

    /** Case 3 and the shipped "event is skipped using $geoip_disable". */
    @Test
    void geoipDisableLeavesTheEventUnchanged() throws Exception {
        String input =
                Json.write(
                        p(
                                "{\"ip\": \"89.160.20.129\", \"properties\": {\"$geoip_disable\": true}}"));
        try (CorpusPlugin plugin = plugin()) {
            assertSameJson(plugin.processEvent(input), input);
        }
    }

    /**
     * Case 4: {@code properties.$ip} wins over {@code ip}; an IP not in the database changes
     * nothing.
     */
    @Test
    void propertiesIpWinsAndUnknownIpsChangeNothing() throws Exception {
        try (CorpusPlugin plugin = plugin()) {
            ObjectNode london =
                    b(
                            "{\"distinct_id\": \"a\", \"ip\": \"10.0.0.1\", \"properties\": {\"$ip\": \"81.2.69.142\"}}");
            assertSameJson(plugin.processEvent(Json.write(london)), enriched(london, LONDON, true));

            String unknown =
                    Json.write(
                            b(
                                    "{\"distinct_id\": \"b\", \"ip\": \"10.0.0.1\", \"properties\": {}}"));
            assertSameJson(plugin.processEvent(unknown), unknown);
        }
    }

    /** Case 3 of the plugin: 127.0.0.1 is swapped for an Australian IP the test database lacks. */
    @Test
    void localhostIsSpoofedToAnIpNotInTheTestDatabase() throws Exception {
        String input = Json.write(b("{\"ip\": \"127.0.0.1\", \"properties\": {}}"));
        try (CorpusPlugin plugin = plugin()) {
            assertSameJson(plugin.processEvent(input), input);
        }
    }

    /** Case 5: a late event (older timestamp than the cached one) sets no person properties. */
    @Test
    void lateEventSetsNoPersonProperties() throws Exception {
        try (CorpusPlugin plugin = plugin()) {
            ObjectNode first =
                    b(
                            "{\"distinct_id\": \"d\", \"ip\": \"89.160.20.129\", \"timestamp\": \"2021-01-02T00:00:00Z\"}");
            assertSameJson(
                    plugin.processEvent(Json.write(first)), enriched(first, LINKOPING, true));

            ObjectNode late =
                    b(
                            "{\"distinct_id\": \"d\", \"ip\": \"81.2.69.142\", \"timestamp\": \"2021-01-01T00:00:00Z\"}");
            assertSameJson(plugin.processEvent(Json.write(late)), enriched(late, LONDON, false));
            assertThat(plugin.services.cacheGet("d"))
                    .isEqualTo("\"89.160.20.129|2021-01-02T00:00:00Z\"");
        }
    }

    /**
     * Case 6 and the shipped "error is thrown if meta.geoip is not provided": without {@code
     * meta.geoip} the plugin throws its own error; in a chain the event goes on unchanged and the
     * plugin is listed as failed.
     */
    @Test
    void withoutMetaGeoipThePluginThrows() throws Exception {
        String input = Json.write(p("{\"ip\": \"89.160.20.129\"}"));
        try (CorpusPlugin plugin =
                CorpusPlugin.load(PluginCorpus.GEOIP, CorpusServices.withoutGeoip())) {
            PluginCallException thrown =
                    catchThrowableOfType(
                            () -> plugin.processEvent(input), PluginCallException.class);
            assertThat(thrown.errorName()).isEqualTo("Error");
            assertThat(thrown.getMessage())
                    .isEqualTo(
                            "This PostHog version does not have GeoIP capabilities! Upgrade to"
                                    + " PostHog 1.24.0 or later");
            assertFailedInAChain(plugin, input);
        }
    }

    /**
     * The server without a database ({@code MMDB_PATH} empty or {@code DISABLE_MMDB}): {@code
     * meta.geoip} is there but {@code locate} throws the original's error, so the outcome is that
     * of case 6 with that message.
     */
    @Test
    void withoutADatabaseLocateThrows() throws Exception {
        String input = Json.write(p("{\"ip\": \"89.160.20.129\"}"));
        try (CorpusPlugin plugin =
                CorpusPlugin.load(PluginCorpus.GEOIP, CorpusServices.withConfig("{}"))) {
            PluginCallException thrown =
                    catchThrowableOfType(
                            () -> plugin.processEvent(input), PluginCallException.class);
            assertThat(thrown.getMessage()).isEqualTo(PluginServices.GEOIP_UNAVAILABLE);
            assertFailedInAChain(plugin, input);
        }
    }

    private static void assertFailedInAChain(CorpusPlugin plugin, String input) throws Exception {
        ObjectNode expected = Json.parseObject(input);
        ((ObjectNode) expected.get("properties"))
                .setAll(
                        Events.object(
                                """
                                {"$plugins_succeeded": [], "$plugins_failed": ["geoip-plugin (1)"],
                                 "$plugins_deferred": []}
                                """));
        assertSameJson(Json.write(plugin.chain(input)), Json.write(expected));
        assertThat(plugin.chainFailures).hasSize(1);
    }
}
