package com.posthog.flink.plugin.runtime;

import java.util.Set;
import org.graalvm.polyglot.Source;
import org.graalvm.shadowed.com.ibm.icu.text.IDNA;

/**
 * {@code URL} and {@code URLSearchParams} for plugins: GraalJS 23.1 has neither (they are web and
 * Node APIs, not ECMAScript), and plugins use them as globals and through the {@code url} module.
 *
 * <p>The WHATWG URL standard's basic URL parser, state by state, with the state overrides its
 * setters use, its host parsers (IPv4 in all its forms, IPv6 compressed as the standard serialises
 * it, opaque hosts) and {@code application/x-www-form-urlencoded}. Where Node 20 differs from the
 * standard (a relative reference with a {@code #} after its first character against a base with an
 * opaque path, {@code ..} at the end of a non-special path, or a domain label that mixes
 * left-to-right and right-to-left letters, which the standard's CheckBidi refuses and Node accepts)
 * this follows the standard. Domain names go through {@link #domainToAscii} on the host.
 *
 * <p>Evaluates to a function {@code (domainToAscii, TextEncoder, TextDecoder) => ({URL,
 * URLSearchParams})}; the runtime script calls it with {@link #domainToAscii} through the bridge
 * and the runtime's own encoders.
 */
final class UrlScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
((domainToAscii, TextEncoder, TextDecoder) => {
    'use strict';
    const DEFAULT_PORTS = new Map([['ftp', 21], ['file', null], ['http', 80], ['https', 443], ['ws', 80], ['wss', 443]]);
    const isSpecialScheme = (scheme) => DEFAULT_PORTS.has(scheme);
    const FAILURE = Symbol('failure');
    const invalidUrl = (input) => Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input });

    // Percent-encode sets (WHATWG URL §1.3), as predicates over code points.
    const inSet = (chars) => {
        const ascii = new Uint8Array(0x80);
        for (const ch of chars) ascii[ch.charCodeAt(0)] = 1;
        return (c) => c < 0x20 || c > 0x7e || ascii[c] === 1;
    };
    const C0 = inSet('');
    const FRAGMENT = inSet(' "<>`');
    const QUERY = inSet(' "#<>');
    const SPECIAL_QUERY = inSet(' "#<>\\'');
    const PATH = inSet(' "#<>?`{}');
    const USERINFO = inSet(' "#<>?`{}/:;=@[\\\\]^|');
    const FORM = inSet(' !"#$%&\\'()+,/:;<=>?@[\\\\]^`{|}~');
    const LONE_SURROGATE = /[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/g;
    const toUSV = (value) => String(value).replace(LONE_SURROGATE, '\\uFFFD');

    const HEX = '0123456789ABCDEF';
    // One code point (a whole surrogate pair, never a lone surrogate).
    const encodeChar = (ch, set) => {
        const c = ch.charCodeAt(0);
        if (c >= 0x80) return encodeURIComponent(ch);
        return set(c) ? '%' + HEX[c >> 4] + HEX[c & 15] : ch;
    };
    const encode = (text, set, spaceAsPlus = false) => {
        let out = '';
        for (const ch of toUSV(text)) out += spaceAsPlus && ch === ' ' ? '+' : encodeChar(ch, set);
        return out;
    };
    // Percent-decoding works on the UTF-8 bytes; the result is decoded with replacement characters.
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const isHex = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
    const percentDecode = (text) => {
        if (!text.includes('%')) return text;
        const bytes = encoder.encode(text);
        const out = [];
        for (let i = 0; i < bytes.length; i++) {
            if (bytes[i] === 0x25 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.push(parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16));
                i += 2;
            } else {
                out.push(bytes[i]);
            }
        }
        return decoder.decode(Uint8Array.from(out));
    };

    const isAlpha = (c) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
    const isWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && (s[1] === ':' || s[1] === '|');
    const isNormalizedDriveLetter = (s) => s !== undefined && isWindowsDriveLetter(s) && s[1] === ':';
    const startsWithDriveLetter = (cps, p) =>
        cps.length - p >= 2 && isWindowsDriveLetter(cps[p] + cps[p + 1]) && (cps.length - p === 2 || '/\\\\?#'.includes(cps[p + 2]));
    const isSingleDot = (s) => s === '.' || s.toLowerCase() === '%2e';
    const isDoubleDot = (s) => ['..', '.%2e', '%2e.', '%2e%2e'].includes(s.toLowerCase());

    // Hosts (WHATWG URL §3.5): IPv6, IPv4 in every form, opaque hosts of other schemes, and
    // domains through IDNA (UTS #46, non-transitional), which the host does.
    const parseIPv4Number = (part) => {
        if (part === '') return NaN;
        let radix = 10;
        if (/^0[xX]/.test(part)) {
            part = part.slice(2);
            radix = 16;
        } else if (part.length > 1 && part[0] === '0') {
            part = part.slice(1);
            radix = 8;
        }
        if (part === '') return 0;
        const digits = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
        return digits.test(part) ? parseInt(part, radix) : NaN;
    };
    const endsInANumber = (host) => {
        const parts = host.split('.');
        if (parts[parts.length - 1] === '') {
            if (parts.length === 1) return false;
            parts.pop();
        }
        const last = parts[parts.length - 1];
        return /^[0-9]+$/.test(last) || !Number.isNaN(parseIPv4Number(last));
    };
    const parseIPv4 = (host) => {
        const parts = host.split('.');
        if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
        if (parts.length > 4) return FAILURE;
        const numbers = parts.map(parseIPv4Number);
        const last = numbers.pop();
        if (Number.isNaN(last) || numbers.some((n) => Number.isNaN(n) || n > 255) || last >= 256 ** (4 - numbers.length)) return FAILURE;
        let address = last;
        numbers.forEach((n, i) => (address += n * 256 ** (3 - i)));
        return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
    };
    const parseIPv6 = (input) => {
        const cps = Array.from(input);
        const address = [0, 0, 0, 0, 0, 0, 0, 0];
        let piece = 0;
        let compress = null;
        let p = 0;
        const hex = (c) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
        if (cps[p] === ':') {
            if (cps[p + 1] !== ':') return FAILURE;
            p += 2;
            compress = ++piece;
        }
        while (cps[p] !== undefined) {
            if (piece === 8) return FAILURE;
            if (cps[p] === ':') {
                if (compress !== null) return FAILURE;
                p++;
                compress = ++piece;
                continue;
            }
            let value = 0;
            let length = 0;
            while (length < 4 && hex(cps[p])) {
                value = value * 16 + parseInt(cps[p++], 16);
                length++;
            }
            if (cps[p] === '.') {
                if (length === 0 || piece > 6) return FAILURE;
                p -= length;
                let seen = 0;
                while (cps[p] !== undefined) {
                    let part = null;
                    if (seen > 0) {
                        if (cps[p] !== '.' || seen >= 4) return FAILURE;
                        p++;
                    }
                    if (!isDigit(cps[p])) return FAILURE;
                    while (isDigit(cps[p])) {
                        const n = Number(cps[p++]);
                        if (part === 0) return FAILURE;
                        part = part === null ? n : part * 10 + n;
                        if (part > 255) return FAILURE;
                    }
                    address[piece] = address[piece] * 0x100 + part;
                    seen++;
                    if (seen === 2 || seen === 4) piece++;
                }
                if (seen !== 4) return FAILURE;
                break;
            } else if (cps[p] === ':') {
                if (cps[++p] === undefined) return FAILURE;
            } else if (cps[p] !== undefined) {
                return FAILURE;
            }
            address[piece++] = value;
        }
        if (compress !== null) {
            let swaps = piece - compress;
            for (piece = 7; piece !== 0 && swaps > 0; piece--, swaps--) {
                [address[piece], address[compress + swaps - 1]] = [address[compress + swaps - 1], address[piece]];
            }
        } else if (piece !== 8) {
            return FAILURE;
        }
        return address;
    };
    const serializeIPv6 = (address) => {
        let best = -1;
        let bestLength = 1;
        for (let i = 0; i < 8; ) {
            let j = i;
            while (j < 8 && address[j] === 0) j++;
            if (j - i > bestLength) [best, bestLength] = [i, j - i];
            i = j === i ? i + 1 : j;
        }
        const hex = (from, to) => address.slice(from, to).map((n) => n.toString(16)).join(':');
        return best < 0 ? hex(0, 8) : hex(0, best) + '::' + hex(best + bestLength, 8);
    };
    const FORBIDDEN_HOST = /[\\0\\t\\n\\r #/:<>?@[\\\\\\]^|]/;
    const FORBIDDEN_DOMAIN = /[\\0-\\x20#%/:<>?@[\\\\\\]^|\\x7f]/;
    const toAscii = (domain) => {
        if (/^[\\0-\\x7f]*$/.test(domain) && !/(^|\\.)xn--/i.test(domain)) return domain.toLowerCase();
        return domainToAscii(domain);
    };
    const parseHost = (input, special) => {
        if (input.startsWith('[')) {
            if (!input.endsWith(']')) return FAILURE;
            const address = parseIPv6(input.slice(1, -1));
            return address === FAILURE ? FAILURE : '[' + serializeIPv6(address) + ']';
        }
        if (!special) return FORBIDDEN_HOST.test(input) ? FAILURE : encode(input, C0);
        const ascii = toAscii(percentDecode(input));
        if (!ascii || FORBIDDEN_DOMAIN.test(ascii)) return FAILURE;
        return endsInANumber(ascii) ? parseIPv4(ascii) : ascii;
    };

    const newRecord = () => ({ scheme: '', username: '', password: '', host: null, port: null, path: [], query: null, fragment: null });
    const isSpecial = (url) => isSpecialScheme(url.scheme);
    const hasOpaquePath = (url) => typeof url.path === 'string';
    const hasCredentials = (url) => url.username !== '' || url.password !== '';
    const cannotHaveCredentialsOrPort = (url) => url.host === null || url.host === '' || url.scheme === 'file';
    const shortenPath = (url) => {
        if (url.scheme === 'file' && url.path.length === 1 && isNormalizedDriveLetter(url.path[0])) return;
        url.path.pop();
    };

    // The basic URL parser (WHATWG URL §4.4): its state machine, with the state overrides the
    // setters use. Returns the URL record, or FAILURE.
    const parse = (input, base, url, override) => {
        if (!url) {
            url = newRecord();
            input = input.replace(/^[\\0-\\x20]+|[\\0-\\x20]+$/g, '');
        }
        const cps = Array.from(input.replace(/[\\t\\n\\r]/g, ''));
        let state = override || 'schemeStart';
        let buffer = '';
        let atSign = false;
        let insideBrackets = false;
        let passwordSeen = false;
        const special = () => isSpecial(url);
        const endOfAuthority = (c) => c === undefined || c === '/' || c === '?' || c === '#' || (special() && c === '\\\\');
        for (let p = 0; p <= cps.length; p++) {
            const c = cps[p];
            switch (state) {
                case 'schemeStart':
                    if (isAlpha(c)) {
                        buffer += c.toLowerCase();
                        state = 'scheme';
                    } else if (!override) {
                        state = 'noScheme';
                        p--;
                    } else {
                        return FAILURE;
                    }
                    break;
                case 'scheme':
                    if (isAlpha(c) || isDigit(c) || c === '+' || c === '-' || c === '.') {
                        buffer += c.toLowerCase();
                    } else if (c === ':') {
                        if (override) {
                            if (isSpecial(url) !== isSpecialScheme(buffer)) return url;
                            if ((hasCredentials(url) || url.port !== null) && buffer === 'file') return url;
                            if (url.scheme === 'file' && url.host === '') return url;
                        }
                        url.scheme = buffer;
                        if (override) {
                            if (url.port === DEFAULT_PORTS.get(url.scheme)) url.port = null;
                            return url;
                        }
                        buffer = '';
                        if (url.scheme === 'file') {
                            state = 'file';
                        } else if (special() && base && base.scheme === url.scheme) {
                            state = 'specialRelativeOrAuthority';
                        } else if (special()) {
                            state = 'specialAuthoritySlashes';
                        } else if (cps[p + 1] === '/') {
                            state = 'pathOrAuthority';
                            p++;
                        } else {
                            url.path = '';
                            state = 'opaquePath';
                        }
                    } else if (!override) {
                        buffer = '';
                        state = 'noScheme';
                        p = -1;
                    } else {
                        return FAILURE;
                    }
                    break;
                case 'noScheme':
                    if (!base || (hasOpaquePath(base) && c !== '#')) return FAILURE;
                    if (hasOpaquePath(base)) {
                        Object.assign(url, { scheme: base.scheme, path: base.path, query: base.query, fragment: '' });
                        state = 'fragment';
                    } else {
                        state = base.scheme === 'file' ? 'file' : 'relative';
                        p--;
                    }
                    break;
                case 'specialRelativeOrAuthority':
                    if (c === '/' && cps[p + 1] === '/') {
                        state = 'specialAuthorityIgnoreSlashes';
                        p++;
                    } else {
                        state = 'relative';
                        p--;
                    }
                    break;
                case 'pathOrAuthority':
                    if (c === '/') {
                        state = 'authority';
                    } else {
                        state = 'path';
                        p--;
                    }
                    break;
                case 'relative':
                    url.scheme = base.scheme;
                    if (c === '/' || (special() && c === '\\\\')) {
                        state = 'relativeSlash';
                    } else {
                        Object.assign(url, { username: base.username, password: base.password, host: base.host, port: base.port });
                        Object.assign(url, { path: base.path.slice(), query: base.query });
                        if (c === '?') {
                            url.query = '';
                            state = 'query';
                        } else if (c === '#') {
                            url.fragment = '';
                            state = 'fragment';
                        } else if (c !== undefined) {
                            url.query = null;
                            shortenPath(url);
                            state = 'path';
                            p--;
                        }
                    }
                    break;
                case 'relativeSlash':
                    if (special() && (c === '/' || c === '\\\\')) {
                        state = 'specialAuthorityIgnoreSlashes';
                    } else if (c === '/') {
                        state = 'authority';
                    } else {
                        Object.assign(url, { username: base.username, password: base.password, host: base.host, port: base.port });
                        state = 'path';
                        p--;
                    }
                    break;
                case 'specialAuthoritySlashes':
                    state = 'specialAuthorityIgnoreSlashes';
                    if (c === '/' && cps[p + 1] === '/') p++;
                    else p--;
                    break;
                case 'specialAuthorityIgnoreSlashes':
                    if (c !== '/' && c !== '\\\\') {
                        state = 'authority';
                        p--;
                    }
                    break;
                case 'authority':
                    if (c === '@') {
                        if (atSign) buffer = '%40' + buffer;
                        atSign = true;
                        for (const cp of buffer) {
                            if (cp === ':' && !passwordSeen) {
                                passwordSeen = true;
                            } else if (passwordSeen) {
                                url.password += encodeChar(cp, USERINFO);
                            } else {
                                url.username += encodeChar(cp, USERINFO);
                            }
                        }
                        buffer = '';
                    } else if (endOfAuthority(c)) {
                        if (atSign && buffer === '') return FAILURE;
                        p -= Array.from(buffer).length + 1;
                        buffer = '';
                        state = 'host';
                    } else {
                        buffer += c;
                    }
                    break;
                case 'host':
                case 'hostname':
                    if (override && url.scheme === 'file') {
                        state = 'fileHost';
                        p--;
                    } else if (c === ':' && !insideBrackets) {
                        if (buffer === '') return FAILURE;
                        if (override === 'hostname') return url;
                        const host = parseHost(buffer, special());
                        if (host === FAILURE) return FAILURE;
                        url.host = host;
                        buffer = '';
                        state = 'port';
                    } else if (endOfAuthority(c)) {
                        p--;
                        if (special() && buffer === '') return FAILURE;
                        if (override && buffer === '' && (hasCredentials(url) || url.port !== null)) return url;
                        const host = parseHost(buffer, special());
                        if (host === FAILURE) return FAILURE;
                        url.host = host;
                        buffer = '';
                        state = 'pathStart';
                        if (override) return url;
                    } else {
                        if (c === '[') insideBrackets = true;
                        if (c === ']') insideBrackets = false;
                        buffer += c;
                    }
                    break;
                case 'port':
                    if (isDigit(c)) {
                        buffer += c;
                    } else if (endOfAuthority(c) || override) {
                        if (buffer !== '') {
                            const port = parseInt(buffer, 10);
                            if (port > 65535) return FAILURE;
                            url.port = port === DEFAULT_PORTS.get(url.scheme) ? null : port;
                            buffer = '';
                        }
                        if (override) return url;
                        state = 'pathStart';
                        p--;
                    } else {
                        return FAILURE;
                    }
                    break;
                case 'file':
                    url.scheme = 'file';
                    url.host = '';
                    if (c === '/' || c === '\\\\') {
                        state = 'fileSlash';
                    } else if (base && base.scheme === 'file') {
                        Object.assign(url, { host: base.host, path: base.path.slice(), query: base.query });
                        if (c === '?') {
                            url.query = '';
                            state = 'query';
                        } else if (c === '#') {
                            url.fragment = '';
                            state = 'fragment';
                        } else if (c !== undefined) {
                            url.query = null;
                            if (startsWithDriveLetter(cps, p)) url.path = [];
                            else shortenPath(url);
                            state = 'path';
                            p--;
                        }
                    } else {
                        state = 'path';
                        p--;
                    }
                    break;
                case 'fileSlash':
                    if (c === '/' || c === '\\\\') {
                        state = 'fileHost';
                    } else {
                        if (base && base.scheme === 'file') {
                            url.host = base.host;
                            if (!startsWithDriveLetter(cps, p) && isNormalizedDriveLetter(base.path[0])) url.path.push(base.path[0]);
                        }
                        state = 'path';
                        p--;
                    }
                    break;
                case 'fileHost':
                    if (c === undefined || '/\\\\?#'.includes(c)) {
                        p--;
                        if (!override && isWindowsDriveLetter(buffer)) {
                            // The drive letter quirk: the buffer becomes the first path segment.
                            state = 'path';
                        } else if (buffer === '') {
                            url.host = '';
                            if (override) return url;
                            state = 'pathStart';
                        } else {
                            let host = parseHost(buffer, special());
                            if (host === FAILURE) return FAILURE;
                            url.host = host === 'localhost' ? '' : host;
                            if (override) return url;
                            buffer = '';
                            state = 'pathStart';
                        }
                    } else {
                        buffer += c;
                    }
                    break;
                case 'pathStart':
                    if (special()) {
                        state = 'path';
                        if (c !== '/' && c !== '\\\\') p--;
                    } else if (!override && c === '?') {
                        url.query = '';
                        state = 'query';
                    } else if (!override && c === '#') {
                        url.fragment = '';
                        state = 'fragment';
                    } else if (c !== undefined) {
                        state = 'path';
                        if (c !== '/') p--;
                    } else if (override && url.host === null) {
                        url.path.push('');
                    }
                    break;
                case 'path':
                    if (c === undefined || c === '/' || (special() && c === '\\\\') || (!override && (c === '?' || c === '#'))) {
                        const slash = c === '/' || (special() && c === '\\\\');
                        if (isDoubleDot(buffer)) {
                            shortenPath(url);
                            if (!slash) url.path.push('');
                        } else if (isSingleDot(buffer)) {
                            if (!slash) url.path.push('');
                        } else {
                            if (url.scheme === 'file' && url.path.length === 0 && isWindowsDriveLetter(buffer)) buffer = buffer[0] + ':';
                            url.path.push(buffer);
                        }
                        buffer = '';
                        if (c === '?') {
                            url.query = '';
                            state = 'query';
                        } else if (c === '#') {
                            url.fragment = '';
                            state = 'fragment';
                        }
                    } else {
                        buffer += encodeChar(c, PATH);
                    }
                    break;
                case 'opaquePath':
                    if (c === '?') {
                        url.query = '';
                        state = 'query';
                    } else if (c === '#') {
                        url.fragment = '';
                        state = 'fragment';
                    } else if (c !== undefined) {
                        url.path += encodeChar(c, C0);
                    }
                    break;
                case 'query':
                    if ((!override && c === '#') || c === undefined) {
                        url.query += encode(buffer, special() ? SPECIAL_QUERY : QUERY);
                        buffer = '';
                        if (c === '#') {
                            url.fragment = '';
                            state = 'fragment';
                        }
                    } else {
                        buffer += c;
                    }
                    break;
                case 'fragment':
                    if (c !== undefined) url.fragment += encodeChar(c, FRAGMENT);
                    break;
            }
        }
        return url;
    };

    const serializePath = (url) => (hasOpaquePath(url) ? url.path : url.path.map((segment) => '/' + segment).join(''));
    const serialize = (url) => {
        let out = url.scheme + ':';
        if (url.host !== null) {
            out += '//';
            if (hasCredentials(url)) out += url.username + (url.password !== '' ? ':' + url.password : '') + '@';
            out += url.host + (url.port !== null ? ':' + url.port : '');
        } else if (!hasOpaquePath(url) && url.path.length > 1 && url.path[0] === '') {
            out += '/.';
        }
        out += serializePath(url);
        if (url.query !== null) out += '?' + url.query;
        if (url.fragment !== null) out += '#' + url.fragment;
        return out;
    };
    const parseOrThrow = (input, base) => {
        const url = parse(toUSV(input), base);
        if (url === FAILURE) throw invalidUrl(input);
        return url;
    };

    // Private links between a URL and its searchParams, set up by the classes' static blocks.
    let linkParams, setParamsList, getRecord;

    // application/x-www-form-urlencoded parsing and serialising (WHATWG URL §5).
    const parseForm = (query) =>
        query
            .split('&')
            .filter((part) => part !== '')
            .map((part) => {
                const eq = part.indexOf('=');
                const [name, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
                return [percentDecode(name.replace(/\\+/g, ' ')), percentDecode(value.replace(/\\+/g, ' '))];
            });

    class URLSearchParams {
        #list = [];
        #url = null;

        constructor(init = '') {
            if (init instanceof URLSearchParams) {
                this.#list = init.#list.map(([k, v]) => [k, v]);
            } else if (typeof init === 'object' && init !== null) {
                const iterable = typeof init[Symbol.iterator] === 'function';
                for (const pair of iterable ? Array.from(init, (pair) => Array.from(pair)) : Object.entries(init)) {
                    if (pair.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
                    this.#list.push([toUSV(pair[0]), toUSV(pair[1])]);
                }
            } else {
                this.#list = parseForm(toUSV(init).replace(/^\\?/, ''));
            }
        }

        static {
            linkParams = (params, url) => (params.#url = url);
            setParamsList = (params, query) => (params.#list = query === null ? [] : parseForm(query));
        }

        #update() {
            if (this.#url !== null) {
                const query = this.toString();
                getRecord(this.#url).query = query === '' ? null : query;
            }
        }

        get size() {
            return this.#list.length;
        }
        append(name, value) {
            this.#list.push([toUSV(name), toUSV(value)]);
            this.#update();
        }
        delete(name, value) {
            this.#list = this.#list.filter(([k, v]) => k !== toUSV(name) || (value !== undefined && v !== toUSV(value)));
            this.#update();
        }
        get(name) {
            const found = this.#list.find(([k]) => k === toUSV(name));
            return found ? found[1] : null;
        }
        getAll(name) {
            return this.#list.filter(([k]) => k === toUSV(name)).map(([, v]) => v);
        }
        has(name, value) {
            return this.#list.some(([k, v]) => k === toUSV(name) && (value === undefined || v === toUSV(value)));
        }
        set(name, value) {
            const i = this.#list.findIndex(([k]) => k === toUSV(name));
            if (i < 0) {
                this.#list.push([toUSV(name), toUSV(value)]);
            } else {
                this.#list[i][1] = toUSV(value);
                this.#list = this.#list.filter(([k], j) => j <= i || k !== toUSV(name));
            }
            this.#update();
        }
        sort() {
            // By UTF-16 code units, stable, as the standard says.
            this.#list = this.#list.map((pair, i) => [pair, i]).sort(([[a], i], [[b], j]) => (a < b ? -1 : a > b ? 1 : i - j)).map(([pair]) => pair);
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
        #url;
        #params = new URLSearchParams();

        constructor(url, base) {
            this.#url = parseOrThrow(url, base === undefined ? undefined : parseOrThrow(base));
            linkParams(this.#params, this);
            setParamsList(this.#params, this.#url.query);
        }

        static {
            getRecord = (url) => url.#url;
        }

        static canParse(url, base) {
            try {
                new URL(url, base);
                return true;
            } catch (e) {
                return false;
            }
        }

        // Runs the parser from a state on this URL, which it changes in place (a failure keeps
        // the changes made before it, as the standard's setters do).
        #parseInto(value, state) {
            parse(toUSV(value), undefined, this.#url, state);
        }

        get href() {
            return serialize(this.#url);
        }
        set href(value) {
            this.#url = parseOrThrow(value);
            setParamsList(this.#params, this.#url.query);
        }
        get origin() {
            const url = this.#url;
            if (url.scheme === 'blob') {
                const inner = parse(serializePath(url));
                return inner !== FAILURE && (inner.scheme === 'http' || inner.scheme === 'https') ? new URL(serialize(inner)).origin : 'null';
            }
            return isSpecial(url) && url.scheme !== 'file' ? url.scheme + '://' + this.host : 'null';
        }
        get protocol() {
            return this.#url.scheme + ':';
        }
        set protocol(value) {
            this.#parseInto(toUSV(value) + ':', 'schemeStart');
        }
        get username() {
            return this.#url.username;
        }
        set username(value) {
            if (!cannotHaveCredentialsOrPort(this.#url)) this.#url.username = encode(value, USERINFO);
        }
        get password() {
            return this.#url.password;
        }
        set password(value) {
            if (!cannotHaveCredentialsOrPort(this.#url)) this.#url.password = encode(value, USERINFO);
        }
        get host() {
            const { host, port } = this.#url;
            return host === null ? '' : port === null ? host : host + ':' + port;
        }
        set host(value) {
            if (!hasOpaquePath(this.#url)) this.#parseInto(value, 'host');
        }
        get hostname() {
            return this.#url.host ?? '';
        }
        set hostname(value) {
            if (!hasOpaquePath(this.#url)) this.#parseInto(value, 'hostname');
        }
        get port() {
            return this.#url.port === null ? '' : String(this.#url.port);
        }
        set port(value) {
            if (cannotHaveCredentialsOrPort(this.#url)) return;
            if (String(value) === '') this.#url.port = null;
            else this.#parseInto(value, 'port');
        }
        get pathname() {
            return serializePath(this.#url);
        }
        set pathname(value) {
            if (hasOpaquePath(this.#url)) return;
            this.#url.path = [];
            this.#parseInto(value, 'pathStart');
        }
        get search() {
            const { query } = this.#url;
            return query === null || query === '' ? '' : '?' + query;
        }
        set search(value) {
            const input = toUSV(value).replace(/^\\?/, '');
            if (input === '') {
                this.#url.query = null;
            } else {
                this.#url.query = '';
                this.#parseInto(input, 'query');
            }
            setParamsList(this.#params, this.#url.query);
        }
        get searchParams() {
            return this.#params;
        }
        get hash() {
            const { fragment } = this.#url;
            return fragment === null || fragment === '' ? '' : '#' + fragment;
        }
        set hash(value) {
            const input = toUSV(value).replace(/^#/, '');
            if (input === '') {
                this.#url.fragment = null;
            } else {
                this.#url.fragment = '';
                this.#parseInto(input, 'fragment');
            }
        }
        toString() {
            return this.href;
        }
        toJSON() {
            return this.href;
        }
    }

    return { URL, URLSearchParams };
})
""",
                            "url.js")
                    .buildLiteral();

    /**
     * UTS #46 as URL's "domain to ASCII" asks for it: non-transitional, bidi and joiner rules
     * checked, no STD3 rules, hyphens and DNS lengths not checked. ICU is the one GraalJS ships.
     */
    private static final IDNA UTS46 =
            IDNA.getUTS46Instance(
                    IDNA.CHECK_BIDI
                            | IDNA.CHECK_CONTEXTJ
                            | IDNA.NONTRANSITIONAL_TO_ASCII
                            | IDNA.NONTRANSITIONAL_TO_UNICODE);

    /** Errors that URL's options (CheckHyphens and VerifyDnsLength false) leave out. */
    private static final Set<IDNA.Error> IGNORED =
            Set.of(
                    IDNA.Error.EMPTY_LABEL,
                    IDNA.Error.LABEL_TOO_LONG,
                    IDNA.Error.DOMAIN_NAME_TOO_LONG,
                    IDNA.Error.LEADING_HYPHEN,
                    IDNA.Error.TRAILING_HYPHEN,
                    IDNA.Error.HYPHEN_3_4);

    private UrlScript() {}

    /** A domain in its ASCII form, or null when it is not a valid one. */
    static String domainToAscii(String domain) {
        IDNA.Info info = new IDNA.Info();
        String ascii = UTS46.nameToASCII(domain, new StringBuilder(), info).toString();
        return IGNORED.containsAll(info.getErrors()) ? ascii : null;
    }
}
