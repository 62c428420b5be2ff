package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * node-fetch 2 for plugins: {@code fetch(url, {method, headers, body, redirect, follow, timeout,
 * size, compress})}, with its {@code Headers}, {@code Response} and {@code FetchError}, over the
 * host's synchronous HTTP call ({@link PluginServices#fetch}, by default {@link HostFetch}).
 *
 * <p>The request is checked and normalised here as node-fetch does (absolute http(s) URL through
 * the WHATWG parser, uppercase method, no body on GET/HEAD, default {@code Accept}, {@code
 * User-Agent}, {@code Accept-Encoding} and {@code Content-Type}); the host makes the exchange,
 * redirects included, and returns the whole response, so the promise settles while the call's
 * microtasks drain. Problems reject, none throws: {@code TypeError} for a bad request, {@code
 * FetchError} (with {@code type} and, for system errors, {@code code}) for a failed exchange, as
 * node-fetch words them. Stream bodies are not supported (the original's were Node streams).
 *
 * <p>Evaluates to a function {@code (bridge, {Buffer, URL, URLSearchParams}) => fetch}; the
 * function also carries {@code Headers}, {@code Response}, {@code FetchError}, {@code AbortError}
 * and {@code isRedirect}, as the node-fetch module does.
 */
final class FetchScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (bridge, web) {
    'use strict';
    const { Buffer, URL, URLSearchParams } = web;
    const NativePromise = Promise;
    const NativeArrayBuffer = ArrayBuffer;
    const { isView } = ArrayBuffer;
    const { parse: jsonParse, stringify: jsonStringify } = JSON;

    // host.fetch(method, url, headersJson, body, bodyOffset, bodyLength, redirect, follow, timeout, size, compress,
    // given), where the first `given` header pairs are the plugin's and the rest node-fetch's defaults:
    // the whole exchange, synchronously. Either {error: false, status, statusText, url, redirected, headersJson,
    // text(), bytes()} or {error: true, message, type, code}.
    const hostFetch = bridge('fetch');

    const DEFAULT_USER_AGENT = 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)';
    const ABSOLUTE = /^[a-zA-Z][a-zA-Z\\d+\\-.]*:/;
    const STATUS_TEXTS = {
        __proto__: null, 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found',
        304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error',
    };

    // node-fetch 2's errors.
    class FetchError extends Error {
        constructor(message, type, systemError) {
            super(message);
            this.type = type;
            if (systemError) this.code = this.errno = systemError.code;
        }
    }
    FetchError.prototype.name = 'FetchError';
    class AbortError extends Error {
        constructor(message) {
            super(message);
            this.type = 'aborted';
        }
    }
    AbortError.prototype.name = 'AbortError';

    const INVALID_TOKEN = /[^\\^_`a-zA-Z\\-0-9!#$%&'*+.|~]/;
    const INVALID_HEADER_CHAR = /[^\\t\\x20-\\x7e\\x80-\\xff]/;
    const checkName = (name) => {
        const text = `${name}`;
        if (text === '' || INVALID_TOKEN.test(text)) throw new TypeError(`${text} is not a legal HTTP header name`);
        return text;
    };
    const checkValue = (value) => {
        const text = `${value}`;
        if (INVALID_HEADER_CHAR.test(text)) throw new TypeError(`${text} is not a legal HTTP header value`);
        return text;
    };

    // Headers as node-fetch 2 has them: names case-insensitive, kept as first given; values joined by ', ' in get;
    // iteration sorted by lowercase name.
    let headerPairs;
    let appendLenient;
    class Headers {
        #map = new Map(); // lowercase name -> {name, values}

        constructor(init = undefined) {
            if (init instanceof Headers) {
                for (const [key, entry] of init.#map) this.#map.set(key, { name: entry.name, values: [...entry.values] });
                return;
            }
            if (init === undefined || init === null) return;
            if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError('Provided initializer must be an object');
            const method = init[Symbol.iterator];
            if (method !== undefined && method !== null) {
                if (typeof method !== 'function') throw new TypeError('Header pairs must be iterable');
                const pairs = [];
                for (const pair of init) {
                    if (typeof pair !== 'object' || pair === null || typeof pair[Symbol.iterator] !== 'function') {
                        throw new TypeError('Each header pair must be iterable');
                    }
                    pairs.push(Array.from(pair));
                }
                for (const pair of pairs) {
                    if (pair.length !== 2) throw new TypeError('Each header pair must be a name/value tuple');
                    this.append(pair[0], pair[1]);
                }
            } else {
                for (const key of Object.keys(init)) this.append(key, init[key]);
            }
        }

        get(name) {
            const entry = this.#map.get(checkName(name).toLowerCase());
            return entry === undefined ? null : entry.values.join(', ');
        }

        has(name) {
            return this.#map.has(checkName(name).toLowerCase());
        }

        set(name, value) {
            const key = checkName(name);
            const text = checkValue(value);
            const existing = this.#map.get(key.toLowerCase());
            this.#map.set(key.toLowerCase(), { name: existing === undefined ? key : existing.name, values: [text] });
        }

        append(name, value) {
            const key = checkName(name);
            const text = checkValue(value);
            const existing = this.#map.get(key.toLowerCase());
            if (existing === undefined) this.#map.set(key.toLowerCase(), { name: key, values: [text] });
            else existing.values.push(text);
        }

        delete(name) {
            this.#map.delete(checkName(name).toLowerCase());
        }

        forEach(callback, thisArg = undefined) {
            for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
        }

        raw() {
            const raw = Object.create(null);
            for (const entry of this.#map.values()) raw[entry.name] = [...entry.values];
            return raw;
        }

        #sorted() {
            return [...this.#map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        }

        keys() {
            return this.#sorted().map(([key]) => key)[Symbol.iterator]();
        }

        values() {
            return this.#sorted().map(([, entry]) => entry.values.join(', '))[Symbol.iterator]();
        }

        entries() {
            return this.#sorted().map(([key, entry]) => [key, entry.values.join(', ')])[Symbol.iterator]();
        }

        [Symbol.iterator]() {
            return this.entries();
        }

        get [Symbol.toStringTag]() {
            return 'Headers';
        }

        static {
            headerPairs = (headers) => {
                const pairs = [];
                for (const entry of headers.#map.values()) for (const value of entry.values) pairs.push([entry.name, value]);
                return pairs;
            };
            // What a server sent, unchecked (node-fetch's createHeadersLenient).
            appendLenient = (headers, name, value) => {
                const existing = headers.#map.get(name.toLowerCase());
                if (existing === undefined) headers.#map.set(name.toLowerCase(), { name, values: [value] });
                else existing.values.push(value);
            };
        }
    }

    const isURLSearchParams = (value) => value instanceof URLSearchParams
        || (typeof value === 'object' && value !== null && typeof value.append === 'function' && typeof value.getAll === 'function'
            && typeof value.has === 'function' && typeof value.sort === 'function' && value.constructor?.name === 'URLSearchParams');

    // A body as bytes and the Content-Type it implies, as node-fetch 2 extracts them.
    const extractBody = (body) => {
        if (body === undefined || body === null) return null;
        if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain;charset=UTF-8' };
        if (isURLSearchParams(body)) return { bytes: Buffer.from(String(body)), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
        if (body instanceof NativeArrayBuffer) return { bytes: Buffer.from(body), contentType: null };
        if (isView(body)) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength), contentType: null };
        if (typeof body.pipe === 'function') throw new TypeError('Stream bodies are not supported by fetch in plugins');
        return { bytes: Buffer.from(String(body)), contentType: 'text/plain;charset=UTF-8' };
    };

    // A body read once: from the host (decoded there) or from bytes given to new Response().
    const hostBody = (raw) => ({
        text: () => raw.text(),
        buffer: () => Buffer.from(raw.bytes()),
        arrayBuffer: () => raw.bytes(),
    });
    const bytesBody = (bytes) => ({
        text: () => bytes.toString(),
        buffer: () => bytes,
        arrayBuffer: () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    });
    const EMPTY = bytesBody(Buffer.alloc(0));

    let responseFromHost;
    class Response {
        #status;
        #statusText;
        #url = '';
        #redirected = false;
        #headers;
        #body = EMPTY;
        #used = false;

        constructor(body = null, init = {}) {
            const options = init ?? {};
            this.#status = Number(options.status) || 200;
            this.#statusText = options.statusText === undefined ? STATUS_TEXTS[this.#status] ?? '' : String(options.statusText);
            this.#headers = new Headers(options.headers);
            if (options.url !== undefined) this.#url = String(options.url);
            const extracted = extractBody(body);
            if (extracted !== null) {
                this.#body = bytesBody(extracted.bytes);
                if (extracted.contentType !== null && !this.#headers.has('Content-Type')) this.#headers.append('Content-Type', extracted.contentType);
            }
        }

        get status() {
            return this.#status;
        }

        get statusText() {
            return this.#statusText;
        }

        get ok() {
            return this.#status >= 200 && this.#status < 300;
        }

        get url() {
            return this.#url;
        }

        get redirected() {
            return this.#redirected;
        }

        get headers() {
            return this.#headers;
        }

        get bodyUsed() {
            return this.#used;
        }

        get size() {
            return 0;
        }

        get timeout() {
            return 0;
        }

        #take() {
            if (this.#used) throw new TypeError(`body used already for: ${this.#url}`);
            this.#used = true;
            return this.#body;
        }

        async text() {
            return this.#take().text();
        }

        async json() {
            const text = this.#take().text();
            try {
                return jsonParse(text);
            } catch (e) {
                throw new FetchError(`invalid json response body at ${this.#url} reason: ${e.message}`, 'invalid-json');
            }
        }

        async buffer() {
            return this.#take().buffer();
        }

        async arrayBuffer() {
            return this.#take().arrayBuffer();
        }

        clone() {
            if (this.#used) throw new Error('cannot clone body after it is used');
            const copy = new Response(null, { status: this.#status, statusText: this.#statusText, headers: this.#headers, url: this.#url });
            copy.#redirected = this.#redirected;
            copy.#body = this.#body;
            return copy;
        }

        get [Symbol.toStringTag]() {
            return 'Response';
        }

        static {
            responseFromHost = (raw) => {
                const response = new Response(null, { status: raw.status, statusText: raw.statusText, url: raw.url });
                for (const [name, value] of jsonParse(raw.headersJson)) appendLenient(response.#headers, name, value);
                response.#redirected = raw.redirected;
                response.#body = hostBody(raw);
                return response;
            };
        }
    }

    const integerOption = (value, fallback, max) => {
        const number = Math.trunc(Number(value));
        return value === undefined || value === null || Number.isNaN(number) ? fallback : Math.min(Math.max(number, 0), max);
    };

    // node-fetch 2: every problem rejects the promise, none throws. The host call is synchronous, so the
    // promise is settled when fetch returns.
    function fetch(url, opts = undefined) {
        return new NativePromise((resolve, reject) => {
            const init = opts ?? {};
            const input = typeof url === 'object' && url !== null && url.href !== undefined ? url.href : url;
            const text = `${input}`;
            if (!ABSOLUTE.test(text)) throw new TypeError('Only absolute URLs are supported');
            const parsed = new URL(text);
            if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('Only HTTP(S) protocols are supported');
            if (!parsed.hostname) throw new TypeError('Only absolute URLs are supported');

            const method = `${init.method || 'GET'}`.toUpperCase();
            const body = extractBody(init.body);
            if (body !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body');
            const headers = new Headers(init.headers);
            const given = headerPairs(headers).length;
            if (body !== null && body.contentType !== null && !headers.has('Content-Type')) headers.append('Content-Type', body.contentType);
            if (init.signal && init.signal.aborted) throw new AbortError('The user aborted a request.');
            const compress = init.compress === undefined ? true : Boolean(init.compress);
            if (!headers.has('Accept')) headers.set('Accept', '*/*');
            if (!headers.has('User-Agent')) headers.set('User-Agent', DEFAULT_USER_AGENT);
            if (compress && !headers.has('Accept-Encoding')) headers.set('Accept-Encoding', 'gzip,deflate');
            const redirect = init.redirect === undefined ? 'follow' : `${init.redirect}`;

            const bytes = body === null ? null : body.bytes;
            const raw = hostFetch(
                method,
                parsed.href,
                jsonStringify(headerPairs(headers)),
                bytes === null ? null : bytes.buffer,
                bytes === null ? 0 : bytes.byteOffset,
                bytes === null ? 0 : bytes.byteLength,
                redirect === 'manual' || redirect === 'error' ? redirect : 'follow',
                integerOption(init.follow, 20, 1000),
                integerOption(init.timeout, 0, 2 ** 31 - 1),
                integerOption(init.size, 0, 2 ** 53 - 1),
                compress,
                given);
            if (raw.error) {
                reject(new FetchError(raw.message, raw.type, raw.code ? { code: raw.code } : undefined));
            } else {
                resolve(responseFromHost(raw));
            }
        });
    }
    fetch.isRedirect = (code) => code === 301 || code === 302 || code === 303 || code === 307 || code === 308;
    fetch.Promise = NativePromise;
    fetch.Headers = Headers;
    fetch.Response = Response;
    fetch.FetchError = FetchError;
    fetch.AbortError = AbortError;

    return fetch;
})
""",
                            "posthog-fetch.js")
                    .buildLiteral();

    private FetchScript() {}
}
