package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Ways out of the sandbox, each of which must fail: Java interop, GraalJS's shell and polyglot
 * builtins, files, processes, timers, and the global object reached through constructors.
 */
class PluginVmSandboxTest {

    /** What evaluating {@code expression} inside processEvent gives: its value or its error. */
    private static String attempt(String expression) throws Exception {
        try (PluginVm vm =
                load(
                        "exports.processEvent = async () => {\n"
                                + "  try { return 'returned ' + String(await ("
                                + expression
                                + ")) }\n"
                                + "  catch (e) { return 'threw ' + e.name + ': ' + e.message }\n"
                                + "}")) {
            String result = vm.call("processEvent", TIMEOUT, EVENT).resultJson();
            return result.substring(1, result.length() - 1);
        }
    }

    @Test
    void noJavaInterop() throws Exception {
        assertThat(attempt("Java.type('java.lang.System').exit(1)"))
                .isEqualTo("threw ReferenceError: Java is not defined");
        assertThat(attempt("Packages.java.lang.Runtime.getRuntime()"))
                .isEqualTo("threw ReferenceError: Packages is not defined");
        assertThat(attempt("java.lang.System.getenv()"))
                .isEqualTo("threw ReferenceError: java is not defined");
    }

    @Test
    void noPolyglotOrGraalBuiltins() throws Exception {
        assertThat(attempt("Polyglot.eval('python', '1')"))
                .isEqualTo("threw ReferenceError: Polyglot is not defined");
        assertThat(attempt("typeof Graal")).isEqualTo("returned undefined");
    }

    @Test
    void noFilesOrShellFunctions() throws Exception {
        assertThat(attempt("load('/etc/passwd')"))
                .isEqualTo("threw ReferenceError: load is not defined");
        assertThat(attempt("[typeof print, typeof printErr, typeof quit, typeof readFile]"))
                .isEqualTo("returned undefined,undefined,undefined,undefined");
        assertThat(attempt("import('/etc/passwd')")).startsWith("threw ");
    }

    @Test
    void noNodeModulesForFilesOrProcesses() throws Exception {
        assertThatThrownBy(() -> load("const fs = require('fs')"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage(
                        "Cannot import 'fs'! This package is not provided by PostHog in plugins.");
        assertThat(attempt("require(['child', 'process'].join('_'))"))
                .isEqualTo(
                        "threw Error: Cannot import 'child_process'! This package is not"
                                + " provided by PostHog in plugins.");
        assertThat(attempt("process.env.HOME"))
                .isEqualTo("threw ReferenceError: process is not defined");
    }

    @Test
    void noTimers() throws Exception {
        assertThat(attempt("[typeof setTimeout, typeof setInterval, typeof setImmediate]"))
                .isEqualTo("returned undefined,undefined,undefined");
    }

    @Test
    void theGlobalObjectReachedThroughConstructorsHasNothingMore() throws Exception {
        String global = "(() => {}).constructor.constructor('return this')()";
        assertThat(attempt(global + " === globalThis")).isEqualTo("returned true");
        assertThat(
                        attempt(
                                "['Java', 'Packages', 'java', 'Polyglot', 'Graal', 'load', 'print',"
                                        + " 'process', 'require', 'arguments']"
                                        + ".filter((name) => "
                                        + global
                                        + "[name] !== undefined)"))
                .isEqualTo("returned require");
        assertThat(attempt(global + ".constructor.constructor('return typeof Java')()"))
                .isEqualTo("returned undefined");
    }

    @Test
    void hostHandlesStayPrivate() throws Exception {
        assertThat(
                        attempt(
                                "[require('crypto').createHash('md5'),"
                                        + " new (require('node-fetch').Response)('x'), new TextDecoder()]"
                                        + ".map((o) => Reflect.ownKeys(o).length)"))
                .isEqualTo("returned 0,0,0");
    }

    @Test
    void theBridgeIsOutOfReach() throws Exception {
        assertThat(attempt("Object.keys(globalThis).filter((k) => /host|bridge/i.test(k))"))
                .isEqualTo("returned ");
    }
}
