package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * Node's {@code Buffer}, {@code TextEncoder}, {@code TextDecoder}, {@code atob} and {@code btoa}
 * for plugins: GraalJS 23.1 has none of them (vm2 gave plugins Node's {@code Buffer}).
 *
 * <p>{@code Buffer} is built as Node builds it: a {@code Uint8Array} subclass whose prototype is
 * {@code Buffer.prototype}, with {@code Buffer} itself a plain function (so {@code Buffer(x)} works
 * without {@code new}). {@code slice} is a view as in Node; {@code toString}, {@code from}, {@code
 * write}, {@code fill}, {@code concat}, {@code equals}, {@code compare}, {@code indexOf}, {@code
 * copy}, {@code toJSON} and the {@code read}/{@code write} number methods follow Node's argument
 * rules. Text encodings ({@code utf8}, {@code hex}, {@code base64}, {@code base64url}, {@code
 * latin1}/{@code binary}, {@code ascii}, {@code utf16le}/{@code ucs2}) are done in Java by {@link
 * HostBytes}: bytes cross as whole {@code ArrayBuffer}s.
 *
 * <p>Evaluates to a function {@code (bridge) => ({Buffer, TextEncoder, TextDecoder, atob, btoa})}
 * where {@code bridge(name)} gives the runtime's wrapped host function {@code encode} or {@code
 * decode}.
 */
final class BufferScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (bridge) {
    'use strict';
    // Built-ins kept before plugin code can replace them.
    const NativeUint8Array = Uint8Array;
    const NativeArrayBuffer = ArrayBuffer;
    const NativeSharedArrayBuffer = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : NativeArrayBuffer;
    const NativeDataView = DataView;
    const { isView } = ArrayBuffer;
    const { fill: uint8Fill, set: uint8Set } = Uint8Array.prototype;
    const { apply } = Reflect;

    // host.encode(text, encoding) -> ArrayBuffer; host.decode(arrayBuffer, offset, length, encoding) -> text.
    const encodeHost = bridge('encode');
    const decodeHost = bridge('decode');

    const MAX_LENGTH = 2 ** 31 - 1;
    const ENCODINGS = {
        __proto__: null, utf8: 'utf8', 'utf-8': 'utf8', hex: 'hex', base64: 'base64', base64url: 'base64url', latin1: 'latin1',
        binary: 'latin1', ascii: 'ascii', ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
    };
    const encodingOf = (encoding) => {
        if (encoding === undefined || encoding === null || encoding === '') return 'utf8';
        const normalized = ENCODINGS[String(encoding).toLowerCase()];
        if (normalized === undefined) throw new TypeError(`Unknown encoding: ${encoding}`);
        return normalized;
    };
    // Node's " Received ..." suffix of argument errors.
    const received = (value) => {
        if (value === null || value === undefined) return ` Received ${value}`;
        if (typeof value === 'function') return ` Received function ${value.name}`;
        if (typeof value === 'object') {
            const name = value.constructor && value.constructor.name;
            return name ? ` Received an instance of ${name}` : ' Received [object]';
        }
        let shown = String(value);
        if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
        if (typeof value === 'string') shown = `'${shown}'`;
        return ` Received type ${typeof value} (${shown})`;
    };
    const isArrayBuffer = (value) => value instanceof NativeArrayBuffer || value instanceof NativeSharedArrayBuffer;
    const isUint8Array = (value) => value instanceof NativeUint8Array;
    const integer = (value, fallback) => {
        if (value === undefined) return fallback;
        const number = Math.trunc(Number(value));
        return Number.isNaN(number) ? 0 : number;
    };
    // An index as slice() takes it: negative from the end, clamped to [0, length].
    const relative = (value, length, fallback) => {
        const index = integer(value, fallback);
        return index < 0 ? Math.max(length + index, 0) : Math.min(index, length);
    };

    // Node's own design: Buffer.prototype is a Uint8Array subclass's prototype and Buffer a plain
    // function, so that Buffer(...) also works without new.
    class FastBuffer extends NativeUint8Array {}
    const wrap = (arrayBuffer, offset = 0, length = arrayBuffer.byteLength - offset) => new FastBuffer(arrayBuffer, offset, length);
    const fromString = (text, encoding) => wrap(encodeHost(text, encodingOf(encoding)));
    const bytesOf = (view) => new NativeUint8Array(view.buffer, view.byteOffset, view.byteLength);
    const text = (view, encoding, start, end) => (end <= start ? '' : decodeHost(view.buffer, view.byteOffset + start, end - start, encoding));

    function Buffer(arg, encodingOrOffset, length) {
        if (typeof arg === 'number') {
            if (typeof encodingOrOffset === 'string') {
                throw new TypeError(`The "string" argument must be of type string.${received(arg)}`);
            }
            return Buffer.alloc(arg);
        }
        return Buffer.from(arg, encodingOrOffset, length);
    }
    Buffer.prototype = FastBuffer.prototype;
    Object.defineProperty(FastBuffer.prototype, 'constructor', { value: Buffer, writable: true, configurable: true });
    Object.setPrototypeOf(Buffer, NativeUint8Array);

    const fromArrayLike = (like) => {
        const length = like.length > 0 ? Math.min(Math.trunc(like.length), MAX_LENGTH) : 0;
        const buffer = new FastBuffer(length);
        if (isView(like)) {
            apply(uint8Set, buffer, [like]);
        } else {
            for (let i = 0; i < length; i++) buffer[i] = like[i];
        }
        return buffer;
    };
    const checkSize = (size) => {
        if (typeof size !== 'number') throw new TypeError(`The "size" argument must be of type number.${received(size)}`);
        if (!(size >= 0 && size <= MAX_LENGTH)) {
            throw new RangeError(`The value of "size" is out of range. It must be >= 0 && <= ${MAX_LENGTH}. Received ${size}`);
        }
        return Math.trunc(size);
    };

    const statics = {
        from(value, encodingOrOffset, length) {
            if (typeof value === 'string') return fromString(value, encodingOrOffset);
            if (typeof value === 'object' && value !== null) {
                if (isArrayBuffer(value)) {
                    const offset = integer(encodingOrOffset, 0);
                    if (offset < 0 || offset > value.byteLength) throw new RangeError('"offset" is outside of buffer bounds');
                    const size = length === undefined ? value.byteLength - offset : Math.max(integer(length, 0), 0);
                    if (size > value.byteLength - offset) throw new RangeError('"length" is outside of buffer bounds');
                    return new FastBuffer(value, offset, size);
                }
                const primitive = typeof value.valueOf === 'function' ? value.valueOf() : value;
                if (primitive != null && primitive !== value) return Buffer.from(primitive, encodingOrOffset, length);
                if (value.length !== undefined || isArrayBuffer(value.buffer)) {
                    return typeof value.length === 'number' ? fromArrayLike(value) : new FastBuffer(0);
                }
                if (value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
                if (typeof value[Symbol.toPrimitive] === 'function') {
                    const string = value[Symbol.toPrimitive]('string');
                    if (typeof string === 'string') return fromString(string, encodingOrOffset);
                }
            }
            throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an '
                + `Array-like Object.${received(value)}`);
        },
        alloc(size, fill, encoding) {
            const buffer = new FastBuffer(checkSize(size));
            if (fill !== undefined && fill !== 0 && buffer.length > 0) buffer.fill(fill, 0, buffer.length, encoding);
            return buffer;
        },
        allocUnsafe(size) {
            return new FastBuffer(checkSize(size));
        },
        allocUnsafeSlow(size) {
            return new FastBuffer(checkSize(size));
        },
        isBuffer(value) {
            return value instanceof Buffer;
        },
        isEncoding(encoding) {
            return typeof encoding === 'string' && encoding.length > 0 && ENCODINGS[encoding.toLowerCase()] !== undefined;
        },
        byteLength(value, encoding) {
            if (typeof value !== 'string') {
                if (isView(value) || isArrayBuffer(value)) return value.byteLength;
                throw new TypeError(`The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.${received(value)}`);
            }
            let normalized;
            try {
                normalized = encodingOf(encoding);
            } catch (e) {
                normalized = 'utf8';
            }
            if (normalized === 'latin1' || normalized === 'ascii') return value.length;
            if (normalized === 'utf16le') return value.length * 2;
            if (normalized === 'utf8') {
                let bytes = 0;
                for (let i = 0; i < value.length; i++) {
                    const c = value.charCodeAt(i);
                    if (c < 0x80) bytes += 1;
                    else if (c < 0x800) bytes += 2;
                    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
                        bytes += 4;
                        i++;
                    } else bytes += 3;
                }
                return bytes;
            }
            return encodeHost(value, normalized).byteLength;
        },
        concat(list, totalLength) {
            if (!Array.isArray(list)) throw new TypeError(`The "list" argument must be an instance of Array.${received(list)}`);
            if (list.length === 0) return new FastBuffer(0);
            for (let i = 0; i < list.length; i++) {
                if (!isUint8Array(list[i])) {
                    throw new TypeError(`The "list[${i}]" argument must be an instance of Buffer or Uint8Array.${received(list[i])}`);
                }
            }
            let total = 0;
            if (totalLength === undefined) {
                for (const item of list) total += item.length;
            } else {
                total = checkSize(totalLength);
            }
            const result = new FastBuffer(total);
            let position = 0;
            for (const item of list) {
                const n = Math.min(item.length, total - position);
                if (n <= 0) break;
                apply(uint8Set, result, [new NativeUint8Array(item.buffer, item.byteOffset, n), position]);
                position += n;
            }
            return result;
        },
        compare(a, b) {
            if (!isUint8Array(a)) throw new TypeError(`The "buf1" argument must be an instance of Buffer or Uint8Array.${received(a)}`);
            if (!isUint8Array(b)) throw new TypeError(`The "buf2" argument must be an instance of Buffer or Uint8Array.${received(b)}`);
            return compareBytes(a, b);
        },
    };
    const compareBytes = (a, b) => {
        const n = Math.min(a.length, b.length);
        for (let i = 0; i < n; i++) {
            if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
        }
        return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    };
    const defineMethods = (target, methods) => {
        for (const name of Reflect.ownKeys(methods)) {
            Object.defineProperty(target, name, { value: methods[name], writable: true, configurable: true, enumerable: false });
        }
    };
    defineMethods(Buffer, statics);
    Buffer.poolSize = 8192;

    const fillPattern = (buffer, pattern, start, end) => {
        for (let i = start, j = 0; i < end; i++, j = j + 1 === pattern.length ? 0 : j + 1) buffer[i] = pattern[j];
        return buffer;
    };
    const search = (buffer, value, byteOffset, encoding, forward) => {
        if (typeof byteOffset === 'string') {
            encoding = byteOffset;
            byteOffset = undefined;
        }
        const length = buffer.length;
        let offset = integer(byteOffset, forward ? 0 : length);
        if (offset < 0) offset += length;
        let needle;
        if (typeof value === 'number') needle = [value & 255];
        else if (typeof value === 'string') needle = fromString(value, encoding);
        else if (isUint8Array(value)) needle = value;
        else throw new TypeError(`The "value" argument must be one of type number or string or an instance of Buffer or Uint8Array.${received(value)}`);
        const size = needle.length;
        if (forward) {
            if (offset < 0) offset = 0;
            if (size === 0) return Math.min(offset, length);
            for (let i = offset; i <= length - size; i++) {
                let j = 0;
                while (j < size && buffer[i + j] === needle[j]) j++;
                if (j === size) return i;
            }
        } else {
            if (size === 0) return Math.min(Math.max(offset, 0), length);
            for (let i = Math.min(offset, length - size); i >= 0; i--) {
                let j = 0;
                while (j < size && buffer[i + j] === needle[j]) j++;
                if (j === size) return i;
            }
        }
        return -1;
    };

    const methods = {
        toString(encoding, start, end) {
            const length = this.length;
            if (arguments.length === 0) return text(this, 'utf8', 0, length);
            const from = start === undefined || start <= 0 ? 0 : Math.min(integer(start, 0), length);
            const to = end === undefined || end > length ? length : integer(end, length);
            return text(this, encodingOf(encoding), from, to);
        },
        toLocaleString(encoding, start, end) {
            return apply(this.toString, this, arguments);
        },
        toJSON() {
            const data = new Array(this.length);
            for (let i = 0; i < this.length; i++) data[i] = this[i];
            return { type: 'Buffer', data };
        },
        equals(other) {
            if (!isUint8Array(other)) throw new TypeError(`The "otherBuffer" argument must be an instance of Buffer or Uint8Array.${received(other)}`);
            return this === other || compareBytes(this, other) === 0;
        },
        compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
            if (!isUint8Array(target)) throw new TypeError(`The "target" argument must be an instance of Buffer or Uint8Array.${received(target)}`);
            const t = new NativeUint8Array(target.buffer, target.byteOffset, target.length).subarray(integer(targetStart, 0), integer(targetEnd, target.length));
            const s = bytesOf(this).subarray(integer(sourceStart, 0), integer(sourceEnd, this.length));
            return compareBytes(s, t);
        },
        subarray(start, end) {
            const length = this.length;
            const from = relative(start, length, 0);
            const to = relative(end, length, length);
            return new FastBuffer(this.buffer, this.byteOffset + from, Math.max(to - from, 0));
        },
        // Node's slice is a view, not a copy.
        slice(start, end) {
            return this.subarray(start, end);
        },
        write(string, offset, length, encoding) {
            if (typeof string !== 'string') throw new TypeError(`The "string" argument must be of type string.${received(string)}`);
            if (typeof offset === 'string') {
                encoding = offset;
                offset = 0;
                length = undefined;
            } else if (typeof length === 'string') {
                encoding = length;
                length = undefined;
            }
            const start = integer(offset, 0);
            if (start < 0 || start > this.length) {
                throw new RangeError(`The value of "offset" is out of range. It must be >= 0 && <= ${this.length}. Received ${offset}`);
            }
            const room = length === undefined ? this.length - start : Math.min(Math.max(integer(length, 0), 0), this.length - start);
            const normalized = encodingOf(encoding);
            const bytes = fromString(string, normalized);
            let n = Math.min(bytes.length, room);
            // Only whole characters, as Node writes them.
            if (normalized === 'utf8' && n < bytes.length) while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
            if (normalized === 'utf16le') n -= n % 2;
            apply(uint8Set, this, [new NativeUint8Array(bytes.buffer, bytes.byteOffset, n), start]);
            return n;
        },
        copy(target, targetStart, sourceStart, sourceEnd) {
            if (!isUint8Array(target)) throw new TypeError(`The "target" argument must be an instance of Buffer or Uint8Array.${received(target)}`);
            const to = integer(targetStart, 0);
            const from = integer(sourceStart, 0);
            const end = Math.min(integer(sourceEnd, this.length), this.length);
            if (to < 0 || from < 0) throw new RangeError('The value of "targetStart" or "sourceStart" is out of range.');
            if (to >= target.length || from >= end) return 0;
            const n = Math.min(end - from, target.length - to);
            apply(uint8Set, target, [new NativeUint8Array(this.buffer, this.byteOffset + from, n), to]);
            return n;
        },
        fill(value, offset, end, encoding) {
            if (typeof offset === 'string') {
                encoding = offset;
                offset = undefined;
                end = undefined;
            } else if (typeof end === 'string') {
                encoding = end;
                end = undefined;
            }
            const start = integer(offset, 0);
            const stop = integer(end, this.length);
            if (start < 0 || stop > this.length) throw new RangeError('The value of "offset" or "end" is out of range.');
            if (stop <= start) return this;
            if (typeof value === 'string') {
                if (value.length === 0) {
                    value = 0;
                } else {
                    const pattern = fromString(value, encoding);
                    if (pattern.length === 0) throw new TypeError(`The argument 'value' is invalid. Received '${value}'`);
                    return fillPattern(this, pattern, start, stop);
                }
            } else if (isUint8Array(value)) {
                if (value.length === 0) throw new TypeError('The argument \\'value\\' is invalid. Received an empty buffer');
                return fillPattern(this, new NativeUint8Array(value.buffer, value.byteOffset, value.length).slice(), start, stop);
            } else if (typeof value === 'boolean') {
                value = Number(value);
            }
            apply(uint8Fill, this, [Number(value) & 255, start, stop]);
            return this;
        },
        indexOf(value, byteOffset, encoding) {
            return search(this, value, byteOffset, encoding, true);
        },
        lastIndexOf(value, byteOffset, encoding) {
            return search(this, value, byteOffset, encoding, false);
        },
        includes(value, byteOffset, encoding) {
            return search(this, value, byteOffset, encoding, true) !== -1;
        },
    };

    // readUInt8, writeInt32LE, readDoubleBE, ...: DataView underneath, Node's range checks on top.
    const checkOffset = (buffer, offset, size) => {
        const value = offset === undefined ? 0 : offset;
        if (typeof value !== 'number') throw new TypeError(`The "offset" argument must be of type number.${received(value)}`);
        if (!Number.isInteger(value) || value < 0 || value > buffer.length - size) {
            if (buffer.length - size < 0) throw new RangeError('Attempt to access memory outside buffer bounds');
            throw new RangeError(`The value of "offset" is out of range. It must be >= 0 and <= ${buffer.length - size}. Received ${value}`);
        }
        return value;
    };
    const view = (buffer) => new NativeDataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const NUMBER_TYPES = [
        ['UInt8', 1, 'Uint8', 0, 255], ['Int8', 1, 'Int8', -128, 127],
        ['UInt16', 2, 'Uint16', 0, 0xffff], ['Int16', 2, 'Int16', -0x8000, 0x7fff],
        ['UInt32', 4, 'Uint32', 0, 0xffffffff], ['Int32', 4, 'Int32', -0x80000000, 0x7fffffff],
        ['Float', 4, 'Float32'], ['Double', 8, 'Float64'],
        ['BigUInt64', 8, 'BigUint64', 0n, 2n ** 64n - 1n], ['BigInt64', 8, 'BigInt64', -(2n ** 63n), 2n ** 63n - 1n],
    ];
    for (const [name, size, dataViewType, min, max] of NUMBER_TYPES) {
        const get = NativeDataView.prototype[`get${dataViewType}`];
        const setter = NativeDataView.prototype[`set${dataViewType}`];
        const isBig = typeof min === 'bigint';
        for (const [suffix, littleEndian] of size === 1 ? [['', false]] : [['LE', true], ['BE', false]]) {
            const read = function (offset) {
                return apply(get, view(this), [checkOffset(this, offset, size), littleEndian]);
            };
            const write = function (value, offset) {
                const at = checkOffset(this, offset, size);
                if (isBig && typeof value !== 'bigint') throw new TypeError(`The "value" argument must be of type bigint.${received(value)}`);
                const number = isBig ? value : Number(value);
                if (min !== undefined && (number < min || number > max)) {
                    throw new RangeError(`The value of "value" is out of range. It must be >= ${min} and <= ${max}. Received ${value}`);
                }
                apply(setter, view(this), [at, number, littleEndian]);
                return at + size;
            };
            methods[`read${name}${suffix}`] = read;
            methods[`write${name}${suffix}`] = write;
            if (name.includes('UInt')) {
                methods[`read${name.replace('UInt', 'Uint')}${suffix}`] = read;
                methods[`write${name.replace('UInt', 'Uint')}${suffix}`] = write;
            }
        }
    }
    defineMethods(FastBuffer.prototype, methods);

    // TextEncoder and TextDecoder (WHATWG Encoding): UTF-8 out; UTF-8, UTF-16LE and windows-1252 in.
    class TextEncoder {
        get encoding() {
            return 'utf-8';
        }

        encode(input = '') {
            return new NativeUint8Array(encodeHost(String(input), 'utf8'));
        }

        encodeInto(source, destination) {
            if (!isUint8Array(destination)) throw new TypeError(`The "dest" argument must be an instance of Uint8Array.${received(destination)}`);
            const string = String(source);
            const bytes = new NativeUint8Array(encodeHost(string, 'utf8'));
            let n = Math.min(bytes.length, destination.length);
            if (n < bytes.length) while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
            apply(uint8Set, destination, [bytes.subarray(0, n)]);
            const read = n === bytes.length ? string.length : decodeHost(bytes.buffer, 0, n, 'utf8').length;
            return { read, written: n };
        }

        get [Symbol.toStringTag]() {
            return 'TextEncoder';
        }
    }

    const LABELS = { __proto__: null };
    for (const label of ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']) LABELS[label] = 'utf-8';
    for (const label of ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']) LABELS[label] = 'utf-16le';
    for (const label of ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100', 'iso8859-1',
        'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252', 'x-cp1252']) LABELS[label] = 'windows-1252';
    // windows-1252 differs from Latin-1 in 0x80-0x9F.
    const WINDOWS_1252 = '\\u20ac\\u0081\\u201a\\u0192\\u201e\\u2026\\u2020\\u2021\\u02c6\\u2030\\u0160\\u2039\\u0152\\u008d\\u017d\\u008f'
        + '\\u0090\\u2018\\u2019\\u201c\\u201d\\u2022\\u2013\\u2014\\u02dc\\u2122\\u0161\\u203a\\u0153\\u009d\\u017e\\u0178';

    // How many bytes at the end of a chunk start a UTF-8 character that continues in the next one.
    const incompleteUtf8 = (bytes) => {
        for (let back = 1; back <= Math.min(3, bytes.length); back++) {
            const b = bytes[bytes.length - back];
            if ((b & 0xc0) === 0x80) continue;
            const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            return needed > back ? back : 0;
        }
        return 0;
    };

    class TextDecoder {
        #encoding;
        #fatal;
        #ignoreBOM;
        #pending = null;
        #started = false;

        constructor(label = 'utf-8', options = {}) {
            const encoding = LABELS[String(label).trim().toLowerCase()];
            if (encoding === undefined) throw new RangeError(`The "${label}" encoding is not supported`);
            this.#encoding = encoding;
            this.#fatal = Boolean(options && options.fatal);
            this.#ignoreBOM = Boolean(options && options.ignoreBOM);
        }

        get encoding() {
            return this.#encoding;
        }

        get fatal() {
            return this.#fatal;
        }

        get ignoreBOM() {
            return this.#ignoreBOM;
        }

        decode(input = undefined, options = {}) {
            let bytes;
            if (input === undefined || input === null) bytes = new NativeUint8Array(0);
            else if (isArrayBuffer(input)) bytes = new NativeUint8Array(input);
            else if (isView(input)) bytes = new NativeUint8Array(input.buffer, input.byteOffset, input.byteLength);
            else throw new TypeError(`The "input" argument must be an instance of ArrayBuffer or ArrayBufferView.${received(input)}`);
            if (this.#pending !== null) {
                const joined = new NativeUint8Array(this.#pending.length + bytes.length);
                joined.set(this.#pending);
                joined.set(bytes, this.#pending.length);
                bytes = joined;
                this.#pending = null;
            }
            const stream = Boolean(options && options.stream);
            if (stream) {
                const held = this.#encoding === 'utf-8' ? incompleteUtf8(bytes) : this.#encoding === 'utf-16le' ? bytes.length % 2 : 0;
                if (held > 0) {
                    this.#pending = bytes.slice(bytes.length - held);
                    bytes = bytes.subarray(0, bytes.length - held);
                }
            }
            let result = '';
            if (bytes.length > 0) {
                if (this.#encoding === 'windows-1252') {
                    result = decodeHost(bytes.buffer, bytes.byteOffset, bytes.length, 'latin1')
                        .replace(/[\\x80-\\x9f]/g, (c) => WINDOWS_1252[c.charCodeAt(0) - 0x80]);
                } else if (this.#encoding === 'utf-16le') {
                    if (this.#fatal && bytes.length % 2 === 1) throw new TypeError('The encoded data was not valid for encoding utf-16le');
                    result = decodeHost(bytes.buffer, bytes.byteOffset, bytes.length, 'utf16le');
                    if (bytes.length % 2 === 1) result += '\\ufffd';
                } else {
                    try {
                        result = decodeHost(bytes.buffer, bytes.byteOffset, bytes.length, this.#fatal ? 'utf8-fatal' : 'utf8');
                    } catch (e) {
                        throw new TypeError('The encoded data was not valid for encoding utf-8');
                    }
                }
            }
            if (!this.#started && result.length > 0) {
                if (!this.#ignoreBOM && result.charCodeAt(0) === 0xfeff && this.#encoding !== 'windows-1252') result = result.slice(1);
                this.#started = true;
            }
            if (!stream) {
                if (this.#pending !== null) {
                    this.#pending = null;
                    if (this.#fatal) throw new TypeError(`The encoded data was not valid for encoding ${this.#encoding}`);
                    result += '\\ufffd';
                }
                this.#started = false;
            }
            return result;
        }

        get [Symbol.toStringTag]() {
            return 'TextDecoder';
        }
    }

    // atob and btoa as the HTML standard has them (forgiving base64).
    const invalidCharacter = (message) => {
        const error = new Error(message);
        error.name = 'InvalidCharacterError';
        error.code = 5;
        return error;
    };
    function btoa(data) {
        if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
        const string = String(data);
        if (/[^\\x00-\\xff]/.test(string)) throw invalidCharacter('Invalid character');
        if (string.length === 0) return '';
        const bytes = encodeHost(string, 'latin1');
        return decodeHost(bytes, 0, bytes.byteLength, 'base64');
    }
    function atob(data) {
        if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
        let string = String(data).replace(/[\\t\\n\\f\\r ]/g, '');
        if (string.length % 4 === 0) string = string.replace(/==?$/, '');
        if (/[^A-Za-z0-9+/]/.test(string)) throw invalidCharacter('Invalid character');
        if (string.length % 4 === 1) throw invalidCharacter('The string to be decoded is not correctly encoded.');
        if (string.length === 0) return '';
        const bytes = encodeHost(string, 'base64');
        return decodeHost(bytes, 0, bytes.byteLength, 'latin1');
    }

    return { Buffer, TextEncoder, TextDecoder, atob, btoa };
})
""",
                            "posthog-buffer.js")
                    .buildLiteral();

    private BufferScript() {}
}
