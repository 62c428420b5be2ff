package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.files;
import static com.posthog.flink.plugin.runtime.TestPlugins.fixture;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loading plugins: module shapes, export discovery (spec §1.4), imports (§1.3), load failures. */
class PluginVmLoadTest {

    @Test
    void findsFunctionsOnExports() throws Exception {
        try (PluginVm vm = load("exports.processEvent = (event) => event")) {
            assertThat(vm.methods()).containsExactly("processEvent");
        }
    }

    @Test
    void findsFunctionsOnExportsDefault() throws Exception {
        try (PluginVm vm =
                load("exports.default = { setupPlugin() {}, processEvent: (event) => event }")) {
            assertThat(vm.methods()).containsExactlyInAnyOrder("setupPlugin", "processEvent");
        }
    }

    @Test
    void findsFunctionsOnModuleExports() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        module.exports = {
                            onEvent() {},
                            runEveryMinute() {},
                            runEveryHour: false,
                            jobs: { cleanUp() {}, notAFunction: 1 },
                            metrics: { seen: 'SUM', biggest: 'max', notAType: 5 },
                        }
                        """)) {
            assertThat(vm.methods()).containsExactlyInAnyOrder("onEvent", "runEveryMinute");
            assertThat(vm.jobNames()).containsExactly("cleanUp");
            assertThat(vm.metrics()).isEqualTo(Map.of("seen", "sum", "biggest", "max"));
        }
    }

    @Test
    void findsGlobalFunctionsWhenNothingIsExported() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        function processEvent(event) {
                            event.properties.global = true
                            return event
                        }
                        function runEveryDay() {}
                        """)) {
            assertThat(vm.methods()).containsExactlyInAnyOrder("processEvent", "runEveryDay");
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .contains("\"global\":true");
        }
    }

    @Test
    void earlierDestinationsWin() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        exports.processEvent = () => 'from exports'
                        exports.jobs = { shared: () => 'from exports' }
                        module.exports = {
                            processEvent: () => 'from module.exports',
                            jobs: { shared: () => 'from module.exports', own: () => 'own' },
                        }
                        """)) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo("\"from exports\"");
            assertThat(vm.jobNames()).containsExactlyInAnyOrder("shared", "own");
            assertThat(vm.callJob("shared", TIMEOUT, "{}").resultJson())
                    .isEqualTo("\"from exports\"");
        }
    }

    @Test
    void processEventBatchAloneGetsASingleEventShim() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        exports.processEventBatch = async (events, meta) =>
                            events.map((event) => ({ ...event, batched: typeof meta.cache }))
                        """)) {
            assertThat(vm.methods()).containsExactlyInAnyOrder("processEvent", "processEventBatch");
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .contains("\"batched\":\"object\"");
        }
    }

    @Test
    void processEventWinsOverProcessEventBatch() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        exports.processEvent = () => 'single'
                        exports.processEventBatch = () => ['batch']
                        """)) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo("\"single\"");
        }
    }

    @Test
    void runsEsModuleJavaScript() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        import { RetryError } from '@posthog/plugin-scaffold'
                        export function processEvent(event) {
                            event.properties.esm = new RetryError('x').name
                            return event
                        }
                        export default { setupPlugin() {} }
                        """)) {
            assertThat(vm.methods()).containsExactlyInAnyOrder("processEvent", "setupPlugin");
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .contains("\"esm\":\"RetryError\"");
        }
    }

    @Test
    void runsTypeScriptAcrossFiles() throws Exception {
        TestingPluginServices services = new TestingPluginServices();
        services.configJson = "{\"name\":\"Hedgehog\"}";
        try (PluginVm vm = load(fixture("typescript", "index.ts"), services)) {
            assertThat(vm.methods()).containsExactlyInAnyOrder("setupPlugin", "processEvent");
            assertThat(vm.jobNames()).containsExactly("sayHello");
            assertThat(vm.metrics()).isEqualTo(Map.of("greeted", "sum"));

            vm.call("setupPlugin", TIMEOUT);
            vm.call("processEvent", TIMEOUT, EVENT);
            String result = vm.call("processEvent", TIMEOUT, EVENT).resultJson();
            assertThat(result)
                    .contains(
                            "\"greeting\":\"Hello, Hedgehog!\"",
                            "\"runs\":2",
                            "\"seen\":2",
                            "\"retryable\":true");

            vm.callJob("sayHello", TIMEOUT, "{\"to\":\"you\"}");
            assertThat(services.logs).containsExactly("LOG Hello, you!");
        }
    }

    @Test
    void requiresFoldersJsonAndParentPaths() throws Exception {
        try (PluginVm vm = load(fixture("commonjs", "index.js"), new TestingPluginServices())) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .contains("\"shout\":\"HEYHEY\"");
        }
    }

    @Test
    void providesTheAllowedModules() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        import fetch from 'node-fetch'
                        import * as crypto from 'crypto'
                        import zlib from 'zlib'
                        import { URL, URLSearchParams } from 'url'
                        import { createBuffer } from '@posthog/plugin-contrib'
                        import scaffold from '@posthog/plugin-scaffold'
                        export function processEvent() {
                            return [typeof fetch, typeof crypto, typeof zlib,
                                new URL('https://x.org/?a=1').searchParams.get('a'),
                                typeof URLSearchParams, typeof createBuffer, scaffold.RetryError.name]
                        }
                        """)) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo(
                            "[\"function\",\"object\",\"object\",\"1\",\"function\","
                                    + "\"undefined\",\"RetryError\"]");
        }
    }

    @Test
    void refusesOtherModulesWithTheOriginalMessage() throws Exception {
        String message =
                "Cannot import 'aws-sdk'! This package is not provided by PostHog in plugins.";
        assertThatThrownBy(() -> load("const AWS = require('aws-sdk')"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage(message);
        // Unused imports are refused too, though the compiler would drop them.
        assertThatThrownBy(
                        () ->
                                load(
                                        """
                                        import { S3 } from 'aws-sdk'
                                        export function processEvent(e) { return e }
                                        """))
                .hasMessage(message);
        try (PluginVm vm =
                load(
                        files(
                                "index.js",
                                "index.js",
                                "exports.processEvent = () => require('./lib')",
                                "lib.js",
                                "module.exports = require('aws-sdk')"),
                        new TestingPluginServices())) {
            PluginCallException error =
                    catchThrowableOfType(
                            () -> vm.call("processEvent", TIMEOUT, EVENT),
                            PluginCallException.class);
            assertThat(error.errorName()).isEqualTo("Error");
            assertThat(error.getMessage()).isEqualTo(message);
        }
    }

    @Test
    void reportsSyntaxErrorsWithTheirPlace() {
        assertThatThrownBy(() -> load("exports.processEvent = (event) => {\n  return event +;\n}"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("SyntaxError: index.js:2:");
        assertThatThrownBy(
                        () ->
                                load(
                                        files(
                                                "index.ts",
                                                "index.ts",
                                                "export function processEvent(e: ) { return e }"),
                                        new TestingPluginServices()))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("index.ts(1,");
    }

    @Test
    void failsOnTopLevelErrorsAndUnsupportedMetrics() {
        assertThatThrownBy(() -> load("throw new TypeError('no config')"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("no config");
        assertThatThrownBy(() -> load("exports.metrics = { a: 'sum', b: 'avg', c: 'median' }"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining(
                        "Only 'sum', 'max', and 'min' are supported as metric types."
                                + " Invalid types received: avg, median");
        assertThatThrownBy(
                        () -> load(files("index.js", "other.js", ""), new TestingPluginServices()))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("has no file index.js");
    }

    @Test
    void exposesJsonValuesToTheCaller() throws Exception {
        try (PluginVm vm =
                load(
                        "exports.processEvent = () => ({ z: 1, a: undefined, n: NaN, i: Infinity,"
                                + " list: [undefined, () => 1], when: new Date(0) })")) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson())
                    .isEqualTo(
                            "{\"z\":1,\"n\":null,\"i\":null,\"list\":[null,null],"
                                    + "\"when\":\"1970-01-01T00:00:00.000Z\"}");
        }
    }

    @Test
    void jsOnlyPluginsDoNotNeedTheCompiler() {
        assertThat(JsEngine.needsTranspiling("index.js", "module.exports = {}\n// import x"))
                .isFalse();
        assertThat(JsEngine.needsTranspiling("index.js", "export function a() {}")).isTrue();
        assertThat(JsEngine.needsTranspiling("index.js", "  import x from 'url'")).isTrue();
        assertThat(JsEngine.needsTranspiling("index.ts", "")).isTrue();
    }
}
