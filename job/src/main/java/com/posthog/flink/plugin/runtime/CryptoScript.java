package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * The {@code crypto} module for plugins, the parts of Node's that plugins use: {@code
 * createHash(algorithm)} and {@code createHmac(algorithm, key)} ({@code update(data[, encoding])},
 * {@code digest([encoding])}, and {@code copy()} for hashes), {@code randomBytes(size[,
 * callback])}, {@code randomUUID()}, {@code getHashes()} and {@code timingSafeEqual(a, b)}. Digests
 * run in Java ({@link HostCrypto}) and match Node's byte for byte; errors carry Node's messages and
 * codes.
 *
 * <p>Evaluates to a function {@code (bridge, Buffer) => crypto}.
 */
final class CryptoScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (bridge, Buffer) {
    'use strict';
    const NativePromise = Promise;
    const NativeUint8Array = Uint8Array;
    const NativeArrayBuffer = ArrayBuffer;
    const { isView } = ArrayBuffer;

    // host.digest(algorithm, key, keyOffset, keyLength) -> {update(buffer, offset, length), finish() -> ArrayBuffer,
    // copy()}: a running digest, an HMAC when key is not null.
    const newDigest = bridge('digest');
    const randomBytesHost = bridge('randomBytes');
    const randomUUIDHost = bridge('randomUUID');
    const HASHES = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'];
    const MAX_RANDOM_BYTES = 64 * 1024 * 1024;

    const received = (value) => {
        if (value === null || value === undefined) return ` Received ${value}`;
        if (typeof value === 'object') return value.constructor && value.constructor.name ? ` Received an instance of ${value.constructor.name}` : ' Received [object]';
        if (typeof value === 'function') return ` Received function ${value.name}`;
        return ` Received type ${typeof value} (${typeof value === 'string' ? `'${value}'` : String(value)})`;
    };
    const codedError = (ErrorType, message, code) => {
        const error = new ErrorType(message);
        error.code = code;
        return error;
    };
    const bytesOf = (data, encoding, what) => {
        if (typeof data === 'string') {
            try {
                return Buffer.from(data, encoding);
            } catch (e) {
                return Buffer.from(data, 'utf8');
            }
        }
        if (isView(data)) return new NativeUint8Array(data.buffer, data.byteOffset, data.byteLength);
        if (what === 'key' && data instanceof NativeArrayBuffer) return new NativeUint8Array(data);
        throw codedError(TypeError, `The "${what}" argument must be of type string or an instance of Buffer, TypedArray, or DataView.${received(data)}`,
            'ERR_INVALID_ARG_TYPE');
    };
    const checkAlgorithm = (algorithm) => {
        if (typeof algorithm !== 'string') {
            throw codedError(TypeError, `The "algorithm" argument must be of type string.${received(algorithm)}`, 'ERR_INVALID_ARG_TYPE');
        }
    };
    const finalized = () => codedError(Error, 'Digest already called', 'ERR_CRYPTO_HASH_FINALIZED');

    // Hash and Hmac share everything but how they start.
    let startDigest;
    let copyHandle;
    const COPY = Symbol('copy');
    class Digest {
        #handle;
        #done = false;

        update(data, inputEncoding) {
            if (this.#done) throw finalized();
            const bytes = bytesOf(data, inputEncoding, 'data');
            this.#handle.update(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            return this;
        }

        digest(outputEncoding) {
            if (this.#done) throw finalized();
            this.#done = true;
            const result = Buffer.from(this.#handle.finish());
            return outputEncoding === undefined || outputEncoding === 'buffer' ? result : result.toString(outputEncoding);
        }

        static {
            startDigest = (digest, handle) => {
                digest.#handle = handle;
            };
            copyHandle = (digest) => {
                if (digest.#done) throw finalized();
                return digest.#handle.copy();
            };
        }
    }

    class Hash extends Digest {
        constructor(algorithm, options) {
            super();
            if (algorithm === COPY) {
                startDigest(this, options);
                return;
            }
            checkAlgorithm(algorithm);
            startDigest(this, newDigest(algorithm, null, 0, 0));
        }

        copy() {
            return new Hash(COPY, copyHandle(this));
        }
    }

    class Hmac extends Digest {
        constructor(algorithm, key) {
            super();
            checkAlgorithm(algorithm);
            if (typeof key !== 'string' && !isView(key) && !(key instanceof NativeArrayBuffer)) {
                throw codedError(TypeError, 'The "key" argument must be of type string or an instance of Buffer, TypedArray, DataView, or KeyObject.'
                    + received(key), 'ERR_INVALID_ARG_TYPE');
            }
            const bytes = bytesOf(key, 'utf8', 'key');
            let handle;
            try {
                handle = newDigest(algorithm, bytes.buffer, bytes.byteOffset, bytes.byteLength);
            } catch (e) {
                throw codedError(TypeError, `Invalid digest: ${algorithm}`, 'ERR_CRYPTO_INVALID_DIGEST');
            }
            startDigest(this, handle);
        }
    }

    const randomBytes = (size, callback = undefined) => {
        if (typeof size !== 'number' || Number.isNaN(size)) {
            throw codedError(TypeError, `The "size" argument must be of type number.${received(size)}`, 'ERR_INVALID_ARG_TYPE');
        }
        if (size < 0 || size > MAX_RANDOM_BYTES) {
            throw codedError(RangeError, `The value of "size" is out of range. It must be >= 0 && <= ${MAX_RANDOM_BYTES}. Received ${size}`,
                'ERR_OUT_OF_RANGE');
        }
        if (callback !== undefined && typeof callback !== 'function') {
            throw codedError(TypeError, `The "callback" argument must be of type function.${received(callback)}`, 'ERR_INVALID_CALLBACK');
        }
        const bytes = Buffer.from(randomBytesHost(Math.trunc(size)));
        if (callback === undefined) return bytes;
        NativePromise.resolve().then(() => callback(null, bytes));
        return undefined;
    };

    return {
        createHash: (algorithm, options) => new Hash(algorithm, options),
        createHmac: (algorithm, key, options) => new Hmac(algorithm, key, options),
        Hash,
        Hmac,
        getHashes: () => [...HASHES],
        randomBytes,
        pseudoRandomBytes: randomBytes,
        randomUUID: () => randomUUIDHost(),
        timingSafeEqual(a, b) {
            if (!isView(a)) throw codedError(TypeError, `The "buf1" argument must be an instance of Buffer, TypedArray, or DataView.${received(a)}`, 'ERR_INVALID_ARG_TYPE');
            if (!isView(b)) throw codedError(TypeError, `The "buf2" argument must be an instance of Buffer, TypedArray, or DataView.${received(b)}`, 'ERR_INVALID_ARG_TYPE');
            if (a.byteLength !== b.byteLength) {
                throw codedError(RangeError, 'Input buffers must have the same byte length', 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
            }
            const x = new NativeUint8Array(a.buffer, a.byteOffset, a.byteLength);
            const y = new NativeUint8Array(b.buffer, b.byteOffset, b.byteLength);
            let difference = 0;
            for (let i = 0; i < x.length; i++) difference |= x[i] ^ y[i];
            return difference === 0;
        },
    };
})
""",
                            "posthog-crypto.js")
                    .buildLiteral();

    private CryptoScript() {}
}
