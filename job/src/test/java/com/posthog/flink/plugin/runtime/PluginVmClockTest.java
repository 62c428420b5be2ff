package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.event.Json;
import org.junit.jupiter.api.Test;

/**
 * A fixed clock ({@code plugin-run --now}): {@code Date.now()}, {@code new Date()} and {@code
 * Date()} read the host's time, and everything else about {@code Date} is the built-in's.
 */
class PluginVmClockTest {

    private static final long NOW = 1_704_067_200_000L; // 2024-01-01T00:00:00Z

    private static final String PLUGIN =
            """
            export function processEvent(event) {
                class Later extends Date {}
                event.properties = {
                    now: Date.now(),
                    iso: new Date().toISOString(),
                    string: Date(),
                    given: new Date(0).toISOString(),
                    parsed: Date.parse('2020-01-01T00:00:00Z'),
                    utc: Date.UTC(2020, 0, 1),
                    isDate: new Date() instanceof Date,
                    constructor: new Date().constructor === Date,
                    subclass: new Later().getTime(),
                    tag: Object.prototype.toString.call(new Date()),
                    name: Date.name,
                    length: Date.length,
                }
                return event
            }
            """;

    @Test
    void theClockReadsTheHostsTimeAndDateOtherwiseBehavesAsBuiltIn() throws Exception {
        TestingPluginServices services = new TestingPluginServices();
        long[] now = {NOW};
        services.fixedClock = () -> now[0];

        try (PluginVm vm = TestPlugins.load(TestPlugins.js(PLUGIN), services)) {
            String first = vm.call("processEvent", TIMEOUT, EVENT).resultJson();
            now[0] += 60_000;
            String second = vm.call("processEvent", TIMEOUT, EVENT).resultJson();

            assertThat(Json.parse(first).get("properties"))
                    .isEqualTo(
                            Json.parse(
                                    """
                                    {"now": 1704067200000, "iso": "2024-01-01T00:00:00.000Z",
                                     "string": "Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)",
                                     "given": "1970-01-01T00:00:00.000Z", "parsed": 1577836800000,
                                     "utc": 1577836800000, "isDate": true, "constructor": true,
                                     "subclass": 1704067200000, "tag": "[object Date]",
                                     "name": "Date", "length": 7}
                                    """));
            assertThat(Json.parse(second).get("properties").get("iso").asText())
                    .isEqualTo("2024-01-01T00:01:00.000Z");
        }
    }
}
