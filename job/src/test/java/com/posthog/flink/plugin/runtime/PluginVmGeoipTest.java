package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code meta.geoip} (spec §2.4) over {@link PluginServices#geoipLocate}: the record arrives as
 * plain JavaScript objects and arrays, null stays null, and the services' error is the plugin's.
 */
class PluginVmGeoipTest {

    private final TestingPluginServices services = new TestingPluginServices();

    private String run(String body) throws Exception {
        try (PluginVm vm =
                load(
                        js("exports.processEvent = async (event, meta) => {\n" + body + "\n}"),
                        services)) {
            return vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        }
    }

    @Test
    void locateGivesPlainObjectsAndRealArrays() throws Exception {
        services.geoip =
                ip ->
                        ip.equals("89.160.20.129")
                                ? "{\"country\":{\"isoCode\":\"SE\"},\"subdivisions\":[{\"isoCode\":\"E\"}]}"
                                : null;
        assertThat(
                        run(
                                """
                                const found = await meta.geoip.locate('89.160.20.129')
                                const codes = []
                                for (const [i, s] of found.subdivisions.entries()) codes.push(i + ':' + s.isoCode)
                                return [Array.isArray(found.subdivisions), Object.getPrototypeOf(found) === Object.prototype,
                                    found.country.isoCode, codes, await meta.geoip.locate('10.0.0.1')]
                                """))
                .isEqualTo("[true,true,\"SE\",[\"0:E\"],null]");
    }

    @Test
    void withoutADatabaseLocateRejectsWithTheOriginalsMessage() throws Exception {
        assertThat(
                        run(
                                "return meta.geoip.locate('1.1.1.1').catch((e) => [e instanceof Error, e.message])"))
                .isEqualTo(
                        "[true,\"IP location capabilities are not available in this PostHog"
                                + " instance!\"]");
    }

    @Test
    void metaHasNoGeoipWhenTheServicesHaveNone() throws Exception {
        services.hasGeoip = false;
        assertThat(run("return [Object.keys(meta).join(), meta.geoip === undefined]"))
                .isEqualTo("[\"cache,config,attachments,storage,jobs,metrics,utils,global\",true]");
    }
}
