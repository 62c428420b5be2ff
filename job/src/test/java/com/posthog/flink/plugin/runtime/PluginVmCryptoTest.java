package com.posthog.flink.plugin.runtime;

import static com.posthog.flink.plugin.runtime.TestPlugins.EVENT;
import static com.posthog.flink.plugin.runtime.TestPlugins.TIMEOUT;
import static com.posthog.flink.plugin.runtime.TestPlugins.load;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@code crypto} module: digests and HMACs equal to Node's (known vectors here, more in {@link
 * PluginVmNodeCompatTest}), random bytes and UUIDs, Node's errors.
 */
class PluginVmCryptoTest {

    /** Runs {@code body} as an async processEvent of a plugin that imports crypto. */
    private static String run(String body) throws Exception {
        try (PluginVm vm =
                load(
                        "const crypto = require('crypto')\n"
                                + "exports.processEvent = async (event, meta) => {\n"
                                + body
                                + "\n}")) {
            return vm.call("processEvent", TIMEOUT, EVENT).resultJson();
        }
    }

    @Test
    void hashesMatchKnownVectors() throws Exception {
        assertThat(
                        run(
                                """
                                return [
                                    crypto.createHash('md5').update('hello').digest('hex'),
                                    crypto.createHash('sha1').update('hello').digest('hex'),
                                    crypto.createHash('sha256').update('').digest('hex'),
                                    crypto.createHash('sha256').update('').digest('base64'),
                                    crypto.createHash('sha512').update('abc').digest('hex').slice(0, 32),
                                    crypto.createHash('md5').update(Buffer.from('hel')).update('lo', 'utf8').digest('hex'),
                                    Buffer.isBuffer(crypto.createHash('md5').update('hello').digest()),
                                ]
                                """))
                .isEqualTo(
                        "[\"5d41402abc4b2a76b9719d911017c592\","
                                + "\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\","
                                + "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
                                + "\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\","
                                + "\"ddaf35a193617abacc417349ae204131\","
                                + "\"5d41402abc4b2a76b9719d911017c592\",true]");
    }

    @Test
    void hmacsMatchKnownVectors() throws Exception {
        assertThat(
                        run(
                                """
                                const message = 'The quick brown fox jumps over the lazy dog'
                                return [
                                    crypto.createHmac('sha256', 'key').update(message).digest('hex'),
                                    crypto.createHmac('md5', 'key').update(message).digest('hex'),
                                    crypto.createHmac('sha1', '').update('').digest('hex'),
                                ]
                                """))
                .isEqualTo(
                        "[\"f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8\","
                                + "\"80070713463e7749b90c2dc24911e275\","
                                + "\"fbdb1d1b18aa6c08324b7d64b71fb76370690e1d\"]");
    }

    @Test
    void randomBytesAndUuids() throws Exception {
        assertThat(
                        run(
                                """
                                const uuid = crypto.randomUUID()
                                const bytes = crypto.randomBytes(16)
                                const viaCallback = await new Promise((resolve) =>
                                    crypto.randomBytes(4, (error, buffer) => resolve([error, buffer.length])))
                                return [/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid),
                                    uuid !== crypto.randomUUID(), Buffer.isBuffer(bytes), bytes.length,
                                    bytes.equals(crypto.randomBytes(16)), viaCallback]
                                """))
                .isEqualTo("[true,true,true,16,false,[null,4]]");
    }

    @Test
    void errorsAreNodes() throws Exception {
        assertThat(
                        run(
                                """
                                const attempt = (f) => { try { return f() } catch (e) { return e.name + ': ' + e.message } }
                                const hash = crypto.createHash('md5')
                                hash.digest()
                                return [attempt(() => crypto.createHash('nope')), attempt(() => hash.update('x')),
                                    attempt(() => crypto.createHmac('nope', 'key'))]
                                """))
                .isEqualTo(
                        "[\"Error: Digest method not supported\",\"Error: Digest already called\","
                                + "\"TypeError: Invalid digest: nope\"]");
    }

    @Test
    void importedAsAModuleToo() throws Exception {
        try (PluginVm vm =
                load(
                        """
                        import { createHash } from 'crypto'
                        import crypto from 'crypto'
                        export const processEvent = () =>
                            createHash('sha1').update('a').digest('hex') === crypto.createHash('sha1').update('a').digest('hex')
                        """)) {
            assertThat(vm.call("processEvent", TIMEOUT, EVENT).resultJson()).isEqualTo("true");
        }
    }
}
