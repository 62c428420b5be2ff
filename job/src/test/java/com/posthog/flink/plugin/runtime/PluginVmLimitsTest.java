package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.posthog.flink.event.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Time and memory limits stop the JavaScript itself, and the context stays usable. */
class PluginVmLimitsTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final String NORMAL = "{\"event\":\"normal\"}";

    /** processEvent runs {@code body} unless the event is {@link #NORMAL}. */
    private static PluginVm plugin(String body, long memoryLimitBytes) throws Exception {
        return PluginVm.load(
                js(
                        "exports.processEvent = async (event, meta) => {\n"
                                + "  if (event.event === 'normal') return 'fine'\n"
                                + body
                                + "\n}"),
                new TestingPluginServices(),
                new PluginLimits(ONE_SECOND, memoryLimitBytes));
    }

    private static PluginCallException failure(PluginVm vm, Duration timeout) {
        return catchThrowableOfType(
                () -> vm.processEvent(timeout, Json.parseObject(EVENT)), PluginCallException.class);
    }

    @Test
    void stopsAnEndlessLoopAndRunsTheNextCall() throws Exception {
        try (PluginVm vm =
                plugin("while (true) { try { while (true) {} } catch (e) {} }", 1L << 30)) {
            long start = System.nanoTime();
            PluginCallException error = failure(vm, ONE_SECOND);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(error.errorName()).isEqualTo(PluginCallException.TIMEOUT);
            assertThat(error.getMessage())
                    .isEqualTo("Script execution timed out after 1 second in processEvent");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();

            assertThat(vm.call("processEvent", ONE_SECOND, NORMAL).resultJson())
                    .isEqualTo("\"fine\"");
        }
    }

    @Test
    void stopsEndlessAsyncWork() throws Exception {
        try (PluginVm vm = plugin("while (true) { await meta.storage.get('x') }", 1L << 30)) {
            PluginCallException error = failure(vm, Duration.ofMillis(1500));
            assertThat(error.getMessage())
                    .isEqualTo("Script execution timed out after 1.5 seconds in processEvent");
            assertThat(vm.call("processEvent", ONE_SECOND, NORMAL).resultJson())
                    .isEqualTo("\"fine\"");
        }
    }

    @Test
    void aPromiseThatCanNeverSettleTimesOutAtOnce() throws Exception {
        try (PluginVm vm = plugin("await new Promise(() => {})", 1L << 30)) {
            long start = System.nanoTime();
            PluginCallException error = failure(vm, Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(error.errorName()).isEqualTo(PluginCallException.TIMEOUT);
            assertThat(error.getMessage()).contains("processEvent", "never settle");
            assertThat(vm.call("processEvent", ONE_SECOND, NORMAL).resultJson())
                    .isEqualTo("\"fine\"");
        }
    }

    @Test
    void stopsTopLevelCodeThatNeverEnds() {
        assertThatThrownBy(
                        () ->
                                PluginVm.load(
                                        js("for (;;) {}"),
                                        new TestingPluginServices(),
                                        new PluginLimits(ONE_SECOND, 1L << 30)))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("Script execution timed out after 1 second in index.js");
    }

    @Test
    void stopsACallThatAllocatesTooMuch() throws Exception {
        long limit = 64L * 1024 * 1024;
        try (PluginVm vm =
                plugin("const hoard = []; while (true) hoard.push('x'.repeat(1 << 20))", limit)) {
            PluginCallException error = failure(vm, Duration.ofSeconds(60));
            assertThat(error.errorName()).isEqualTo(PluginCallException.MEMORY_LIMIT);
            assertThat(error.getMessage())
                    .isEqualTo("Script execution used more than 64 MB of memory in processEvent");

            assertThat(vm.call("processEvent", ONE_SECOND, NORMAL).resultJson())
                    .isEqualTo("\"fine\"");
        }
    }
}
