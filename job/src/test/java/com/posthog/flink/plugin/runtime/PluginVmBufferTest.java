package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.js;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Node's {@code Buffer}, {@code TextEncoder}/{@code TextDecoder} and {@code atob}/{@code btoa} as
 * globals, and attachments' contents as Buffers. Node's exact results for many more cases are in
 * {@link PluginVmNodeCompatTest}.
 */
class PluginVmBufferTest {

    private final TestingPluginServices services = new TestingPluginServices();

    /** Runs {@code body} as an async processEvent and returns its result as JSON. */
    private String run(String body) throws Exception {
        try (PluginVm vm =
                load(
                        js("exports.processEvent = async (event, meta) => {\n" + body + "\n}"),
                        services)) {
            return vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        }
    }

    @Test
    void attachmentContentsAreBuffers() throws Exception {
        services.attachments.put(
                "config",
                new PluginServices.Attachment(
                        "application/json",
                        "config.json",
                        "{\"name\":\"é\",\"list\":[1,2]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(
                        run(
                                """
                                const { contents } = meta.attachments.config
                                return [Buffer.isBuffer(contents), contents.length, JSON.parse(contents).name,
                                    contents.toString().slice(0, 10), contents.toString('base64').length, contents[0]]
                                """))
                .isEqualTo("[true,26,\"é\",\"{\\\"name\\\":\\\"é\",36,123]");
    }

    @Test
    void convertsBetweenEncodings() throws Exception {
        assertThat(
                        run(
                                """
                                const text = 'héllo €😀'
                                return [
                                    Buffer.from(text).toString('hex'),
                                    Buffer.from(text).toString('base64'),
                                    Buffer.from(Buffer.from(text).toString('base64'), 'base64').toString(),
                                    Buffer.from('68656c6c6f', 'hex').toString('utf8'),
                                    Buffer.from('héllo', 'latin1').toString('hex'),
                                    Buffer.from([104, 105]).toString(),
                                ]
                                """))
                .isEqualTo(
                        "[\"68c3a96c6c6f20e282acf09f9880\",\"aMOpbGxvIOKCrPCfmIA=\",\"héllo €😀\","
                                + "\"hello\",\"68e96c6c6f\",\"hi\"]");
    }

    @Test
    void behavesAsAUint8Array() throws Exception {
        assertThat(
                        run(
                                """
                                const buffer = Buffer.alloc(3)
                                buffer[0] = 0x61
                                buffer[1] = 0x62
                                buffer[2] = 0x163
                                const view = buffer.subarray(1)
                                view[0] = 0x42
                                return [buffer instanceof Uint8Array, buffer.length, buffer.byteLength, buffer.toString(),
                                    Buffer.concat([buffer, Buffer.from('!')]).toString(), Buffer.isBuffer(view),
                                    buffer.equals(Buffer.from('aBc')), JSON.stringify(buffer), Buffer.byteLength('€')]
                                """))
                .isEqualTo(
                        "[true,3,3,\"aBc\",\"aBc!\",true,true,"
                                + "\"{\\\"type\\\":\\\"Buffer\\\",\\\"data\\\":[97,66,99]}\",3]");
    }

    @Test
    void textEncoderDecoderAndBase64Globals() throws Exception {
        assertThat(
                        run(
                                """
                                const bytes = new TextEncoder().encode('€a')
                                return [Array.from(bytes), new TextDecoder().decode(bytes),
                                    new TextDecoder().decode(new Uint8Array([0xe2, 0x82])),
                                    btoa('hello'), atob('aGVsbG8='),
                                    (() => { try { return btoa('€') } catch (e) { return e.name } })()]
                                """))
                .isEqualTo(
                        "[[226,130,172,97],\"€a\",\"\ufffd\",\"aGVsbG8=\",\"hello\","
                                + "\"InvalidCharacterError\"]");
    }

    @Test
    void latin1LabelsDecodeAsWindows1252AsTheStandardSays() throws Exception {
        assertThat(
                        run(
                                "return new TextDecoder('latin1').decode(new Uint8Array([0x80,"
                                        + " 0xe9]))"))
                .isEqualTo("\"€é\"");
    }

    @Test
    void sizesPastTheLimitAreRangeErrors() throws Exception {
        assertThat(
                        run(
                                """
                                try { Buffer.alloc(-1) } catch (e) { return e.name + ': ' + e.message }
                                """))
                .isEqualTo(
                        "\"RangeError: The value of \\\"size\\\" is out of range. It must be >= 0"
                                + " && <= 2147483647. Received -1\"");
    }
}
