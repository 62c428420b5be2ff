package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * {@code URL} and {@code URLSearchParams} for plugins: GraalJS 23.1 has neither (they are web and
 * Node APIs, not ECMAScript), and plugins use them as globals and through the {@code url} module.
 *
 * <p>A compact WHATWG URL parser: special schemes with default ports, hosts lowercased, IPv4 forms
 * canonicalised, dot segments resolved, percent-encoding sets as the standard has them, relative
 * references against a base, and a live {@code searchParams}. Not covered: IDNA (non-ASCII host
 * names stay Unicode instead of punycode) and IPv6 compression (kept as written, lowercased).
 *
 * <p>Evaluates to {@code {URL, URLSearchParams}}; the runtime script installs them.
 */
final class UrlScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(() => {
    'use strict';
    const DEFAULT_PORTS = { 'ftp:': '21', 'file:': '', 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
    const isSpecial = (protocol) => Object.prototype.hasOwnProperty.call(DEFAULT_PORTS, protocol);
    const invalid = (input) => new TypeError(`Invalid URL: ${input}`);

    // Percent-encode sets (WHATWG URL §1.3), as predicates over ASCII code points.
    const inSet = (chars) => (c) => c < 0x20 || c > 0x7e || chars.includes(String.fromCharCode(c));
    const FRAGMENT = inSet(' "<>`');
    const QUERY = inSet(' "#<>');
    const SPECIAL_QUERY = inSet(' "#<>\\'');
    const PATH = inSet(' "#<>?`{}');
    const USERINFO = inSet(' "#<>?`{}/:;=@[\\\\]^|');
    const FORM = (c) => !/[*\\-._0-9A-Za-z]/.test(String.fromCharCode(c));
    const LONE_SURROGATE = /[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/g;

    const encode = (text, set, spaceAsPlus = false) => {
        let out = '';
        for (const ch of String(text).replace(LONE_SURROGATE, '\\uFFFD')) {
            const c = ch.codePointAt(0);
            if (spaceAsPlus && c === 0x20) out += '+';
            else if (c >= 0x80) out += encodeURIComponent(ch);
            else if (set(c)) out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
            else out += ch;
        }
        return out;
    };
    const decode = (text) =>
        text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
            try {
                return decodeURIComponent(run);
            } catch (e) {
                return run;
            }
        });

    const parseIPv4 = (host, input) => {
        const parts = host.split('.');
        if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
        if (parts.length > 4) throw invalid(input);
        const numbers = parts.map((part) => {
            let radix = 10;
            if (/^0[xX]/.test(part)) {
                part = part.slice(2);
                radix = 16;
            } else if (part.length > 1 && part[0] === '0') {
                part = part.slice(1);
                radix = 8;
            }
            if (part === '') return radix === 10 ? NaN : 0;
            const digits = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
            return digits.test(part) ? parseInt(part, radix) : NaN;
        });
        const last = numbers[numbers.length - 1];
        if (numbers.some(Number.isNaN) || numbers.slice(0, -1).some((n) => n > 255) || last >= 256 ** (5 - numbers.length)) {
            throw invalid(input);
        }
        let address = last;
        numbers.slice(0, -1).forEach((n, i) => (address += n * 256 ** (3 - i)));
        return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
    };

    const parseHost = (raw, special, input) => {
        if (raw.startsWith('[')) {
            if (!/^\\[[0-9a-fA-F:.]+\\]$/.test(raw)) throw invalid(input);
            return raw.toLowerCase();
        }
        if (!special) {
            if (/[\\0\\t\\n\\r #/:<>?@[\\\\\\]^|]/.test(raw)) throw invalid(input);
            return encode(raw, inSet(''));
        }
        const host = decode(raw).toLowerCase();
        if (host === '' || /[\\0-\\x20#%/:<>?@[\\\\\\]^|\\x7f]/.test(host)) throw invalid(input);
        const labels = host.split('.');
        const lastLabel = labels[labels.length - 1] === '' && labels.length > 1 ? labels[labels.length - 2] : labels[labels.length - 1];
        return /^([0-9]+|0[xX][0-9a-fA-F]*)$/.test(lastLabel) ? parseIPv4(host, input) : host;
    };

    const normalizePath = (path, special) => {
        const out = [];
        const segments = path.split('/');
        segments.forEach((segment, i) => {
            const dots = segment.toLowerCase().replace(/%2e/g, '.');
            const isLast = i === segments.length - 1;
            if (dots === '..') {
                if (out.length > 0) out.pop();
                if (isLast) out.push('');
            } else if (dots === '.') {
                if (isLast) out.push('');
            } else {
                out.push(encode(segment, PATH));
            }
        });
        const joined = '/' + out.join('/');
        return special || path !== '' ? joined : '';
    };

    // Splits an absolute URL string into its parts, or throws.
    const parseAbsolute = (input) => {
        const scheme = /^([a-zA-Z][a-zA-Z0-9+.\\-]*):/.exec(input);
        if (!scheme) throw invalid(input);
        const protocol = scheme[1].toLowerCase() + ':';
        const special = isSpecial(protocol);
        let rest = input.slice(scheme[0].length);
        const fragmentAt = rest.indexOf('#');
        const hash = fragmentAt < 0 ? '' : rest.slice(fragmentAt + 1);
        if (fragmentAt >= 0) rest = rest.slice(0, fragmentAt);
        const queryAt = rest.indexOf('?');
        const query = queryAt < 0 ? null : rest.slice(queryAt + 1);
        if (queryAt >= 0) rest = rest.slice(0, queryAt);
        if (special) rest = rest.replace(/\\\\/g, '/');
        const url = { protocol, username: '', password: '', hostname: null, port: '', pathname: '', opaque: false };
        if (special && protocol !== 'file:') rest = rest.replace(/^\\/*/, '//');
        if (rest.startsWith('//')) {
            rest = rest.slice(2);
            const slash = rest.indexOf('/');
            let authority = slash < 0 ? rest : rest.slice(0, slash);
            rest = slash < 0 ? '' : rest.slice(slash);
            const at = authority.lastIndexOf('@');
            if (at >= 0) {
                const userinfo = authority.slice(0, at);
                const colon = userinfo.indexOf(':');
                url.username = encode(colon < 0 ? userinfo : userinfo.slice(0, colon), USERINFO);
                url.password = colon < 0 ? '' : encode(userinfo.slice(colon + 1), USERINFO);
                authority = authority.slice(at + 1);
            }
            const port = /:([^:\\]]*)$/.exec(authority);
            if (port) {
                authority = authority.slice(0, port.index);
                if (!/^[0-9]*$/.test(port[1]) || Number(port[1]) > 65535) throw invalid(input);
                url.port = port[1] === '' || DEFAULT_PORTS[protocol] === String(Number(port[1])) ? '' : String(Number(port[1]));
            }
            url.hostname = protocol === 'file:' && (authority === '' || authority.toLowerCase() === 'localhost') ? '' : parseHost(authority, special, input);
            if (special && protocol !== 'file:' && url.hostname === '') throw invalid(input);
            url.pathname = normalizePath(rest === '' ? '' : rest.slice(1), special);
        } else if (special || rest.startsWith('/')) {
            if (protocol === 'file:') url.hostname = '';
            url.pathname = normalizePath(rest.replace(/^\\//, ''), special);
        } else {
            url.opaque = true;
            url.pathname = encode(rest, inSet(''));
        }
        url.search = query === null || query === '' ? '' : '?' + encode(query, special ? SPECIAL_QUERY : QUERY);
        url.hash = hash === '' ? '' : '#' + encode(hash, FRAGMENT);
        return url;
    };

    const authorityPrefix = (u) => {
        if (u.hostname === null) return u.protocol;
        const userinfo = u.username || u.password ? u.username + (u.password ? ':' + u.password : '') + '@' : '';
        return u.protocol + '//' + userinfo + u.hostname + (u.port ? ':' + u.port : '');
    };

    const resolve = (input, base) => {
        if (/^[a-zA-Z][a-zA-Z0-9+.\\-]*:/.test(input)) return parseAbsolute(input);
        if (base === undefined) throw invalid(input);
        const b = base instanceof URL ? parseAbsolute(base.href) : resolve(String(base));
        const special = isSpecial(b.protocol);
        const slash = special ? /^[/\\\\]/ : /^\\//;
        if (b.opaque) {
            if (!input.startsWith('#')) throw invalid(input);
            return parseAbsolute(b.protocol + b.pathname + b.search + input);
        }
        if (slash.test(input) && slash.test(input.slice(1))) return parseAbsolute(b.protocol + input);
        const prefix = authorityPrefix(b);
        if (slash.test(input)) return parseAbsolute(prefix + input);
        if (input === '') return parseAbsolute(prefix + b.pathname + b.search);
        if (input.startsWith('?')) return parseAbsolute(prefix + b.pathname + input);
        if (input.startsWith('#')) return parseAbsolute(prefix + b.pathname + b.search + input);
        return parseAbsolute(prefix + b.pathname.slice(0, b.pathname.lastIndexOf('/') + 1) + input);
    };

    // Private links between a URL and its searchParams, set up by the classes' static blocks.
    let linkParams, reparseParams, setQuery;

    const cleanInput = (input) => String(input).replace(/^[\\0-\\x20]+|[\\0-\\x20]+$/g, '').replace(/[\\t\\n\\r]/g, '');

    class URLSearchParams {
        #list = [];
        #url = null;

        constructor(init = '') {
            if (init instanceof URLSearchParams) {
                this.#list = init.#list.map(([k, v]) => [k, v]);
            } else if (typeof init === 'object' && init !== null) {
                const pairs = typeof init[Symbol.iterator] === 'function' ? Array.from(init, (pair) => Array.from(pair)) : Object.entries(init);
                for (const pair of pairs) {
                    if (pair.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
                    this.#list.push([String(pair[0]), String(pair[1])]);
                }
            } else {
                this.#parse(String(init));
            }
        }

        static {
            linkParams = (params, url) => (params.#url = url);
            reparseParams = (params, query) => {
                params.#list = [];
                params.#parse(query);
            };
        }

        #parse(query) {
            for (const part of query.replace(/^\\?/, '').split('&')) {
                if (part === '') continue;
                const eq = part.indexOf('=');
                const name = eq < 0 ? part : part.slice(0, eq);
                const value = eq < 0 ? '' : part.slice(eq + 1);
                this.#list.push([decode(name.replace(/\\+/g, ' ')), decode(value.replace(/\\+/g, ' '))]);
            }
        }

        #update() {
            if (this.#url !== null) setQuery(this.#url, this.toString());
        }

        get size() {
            return this.#list.length;
        }
        append(name, value) {
            this.#list.push([String(name), String(value)]);
            this.#update();
        }
        delete(name, value) {
            this.#list = this.#list.filter(([k, v]) => k !== String(name) || (value !== undefined && v !== String(value)));
            this.#update();
        }
        get(name) {
            const found = this.#list.find(([k]) => k === String(name));
            return found ? found[1] : null;
        }
        getAll(name) {
            return this.#list.filter(([k]) => k === String(name)).map(([, v]) => v);
        }
        has(name, value) {
            return this.#list.some(([k, v]) => k === String(name) && (value === undefined || v === String(value)));
        }
        set(name, value) {
            const i = this.#list.findIndex(([k]) => k === String(name));
            if (i < 0) {
                this.#list.push([String(name), String(value)]);
            } else {
                this.#list[i][1] = String(value);
                this.#list = this.#list.filter(([k], j) => j <= i || k !== String(name));
            }
            this.#update();
        }
        sort() {
            this.#list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
            this.#update();
        }
        forEach(callback, thisArg) {
            for (const [k, v] of this.#list) callback.call(thisArg, v, k, this);
        }
        *entries() {
            for (const [k, v] of this.#list) yield [k, v];
        }
        *keys() {
            for (const [k] of this.#list) yield k;
        }
        *values() {
            for (const [, v] of this.#list) yield v;
        }
        [Symbol.iterator]() {
            return this.entries();
        }
        toString() {
            return this.#list.map(([k, v]) => encode(k, FORM, true) + '=' + encode(v, FORM, true)).join('&');
        }
    }

    class URL {
        #u;
        #params;

        constructor(url, base) {
            this.#u = resolve(cleanInput(url), base === undefined ? undefined : base instanceof URL ? base : cleanInput(base));
            this.#params = new URLSearchParams(this.#u.search);
            linkParams(this.#params, this);
        }

        static {
            setQuery = (url, query) => (url.#u.search = query === '' ? '' : '?' + query);
        }

        #reparse(href) {
            this.#u = parseAbsolute(href);
            reparseParams(this.#params, this.#u.search);
        }

        get href() {
            return authorityPrefix(this.#u) + this.#u.pathname + this.#u.search + this.#u.hash;
        }
        set href(value) {
            this.#reparse(cleanInput(value));
        }
        get origin() {
            const u = this.#u;
            return isSpecial(u.protocol) && u.protocol !== 'file:' ? u.protocol + '//' + this.host : 'null';
        }
        get protocol() {
            return this.#u.protocol;
        }
        set protocol(value) {
            const scheme = String(value).replace(/:.*$/, '').toLowerCase();
            if (/^[a-z][a-z0-9+.\\-]*$/.test(scheme) && isSpecial(scheme + ':') === isSpecial(this.#u.protocol)) {
                this.#reparse(scheme + ':' + this.href.slice(this.#u.protocol.length));
            }
        }
        get username() {
            return this.#u.username;
        }
        set username(value) {
            this.#u.username = encode(value, USERINFO);
        }
        get password() {
            return this.#u.password;
        }
        set password(value) {
            this.#u.password = encode(value, USERINFO);
        }
        get host() {
            const u = this.#u;
            return u.hostname === null ? '' : u.hostname + (u.port ? ':' + u.port : '');
        }
        set host(value) {
            if (this.#u.hostname !== null && !this.#u.opaque) {
                const userinfo = authorityPrefix({ ...this.#u, hostname: '', port: '' });
                this.#reparse(userinfo + String(value) + this.#u.pathname + this.#u.search + this.#u.hash);
            }
        }
        get hostname() {
            return this.#u.hostname ?? '';
        }
        set hostname(value) {
            this.host = String(value).replace(/:.*$/, '') + (this.#u.port ? ':' + this.#u.port : '');
        }
        get port() {
            return this.#u.port;
        }
        set port(value) {
            this.host = this.hostname + ':' + String(value);
        }
        get pathname() {
            return this.#u.pathname;
        }
        set pathname(value) {
            if (!this.#u.opaque) {
                const path = String(value).replace(/[?#]/g, (c) => encodeURIComponent(c));
                this.#reparse(authorityPrefix(this.#u) + (path.startsWith('/') ? '' : '/') + path + this.#u.search + this.#u.hash);
            }
        }
        get search() {
            return this.#u.search;
        }
        set search(value) {
            const query = String(value).replace(/^\\?/, '').replace(/#/g, '%23');
            this.#reparse(authorityPrefix(this.#u) + this.#u.pathname + (query ? '?' + query : '') + this.#u.hash);
        }
        get searchParams() {
            return this.#params;
        }
        get hash() {
            return this.#u.hash;
        }
        set hash(value) {
            const fragment = String(value).replace(/^#/, '');
            this.#u.hash = fragment ? '#' + encode(fragment, FRAGMENT) : '';
        }
        toString() {
            return this.href;
        }
        toJSON() {
            return this.href;
        }
    }

    return { URL, URLSearchParams };
})()
""",
                            "url.js")
                    .buildLiteral();

    private UrlScript() {}
}
