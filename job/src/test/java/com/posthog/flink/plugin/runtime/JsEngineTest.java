package com.posthog.flink.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The TypeScript transpiler: CommonJS out, types gone, diagnostics as load errors, a cache. */
class JsEngineTest {

    private static final String SOURCE =
            """
            import { RetryError } from '@posthog/plugin-scaffold'
            import fetch from 'node-fetch'
            interface Event { event: string }
            export async function processEvent(event: Event): Promise<Event> {
                await fetch(event.event as string)
                return event
            }
            export default { name: 'x' }
            """;

    @Test
    void turnsTypeScriptIntoCommonJs() throws Exception {
        String output = JsEngine.transpile("index.ts", SOURCE);
        assertThat(output)
                .contains("exports.processEvent = processEvent", "require(\"node-fetch\")")
                .contains("exports.default = ")
                .doesNotContain("interface", ": Event", "plugin-scaffold");
        assertThat(JsEngine.transpile("index.ts", SOURCE)).isSameAs(output);
    }

    @Test
    void reportsSyntaxErrorsWithTheirPlace() {
        assertThatThrownBy(() -> JsEngine.transpile("index.ts", "let a = ;\nlet b: = 1"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("index.ts(1,9): Expression expected.")
                .hasMessageContaining("index.ts(2,");
    }
}
