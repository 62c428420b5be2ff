package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * The JavaScript half of {@link PluginVm}: the globals, modules and {@code meta} a plugin sees,
 * built on the Java bridge, plus export discovery and the call wrapper. Kept in JavaScript because
 * the semantics are JavaScript's: JSON with {@code undefined} keys dropped, promises, truthiness,
 * Proxies that throw on unknown metric names, the original's exact error messages.
 *
 * <p>Evaluates to a function {@code (host, entryDir, makeUrl, makeBuffer, makeFetch, makeCrypto,
 * makeHistoricalExport) => runtime}:
 *
 * <ul>
 *   <li>{@code host}: the bridge, an object of Java functions, reached only through this closure
 *       (plugins never see it). Its exceptions become plain {@code Error}s with their message;
 *   <li>{@code entryDir}: the entry file's folder, where the global {@code require} resolves;
 *   <li>{@code makeUrl}, {@code makeBuffer}, {@code makeFetch}, {@code makeCrypto}: {@link
 *       UrlScript}, {@link BufferScript}, {@link FetchScript} and {@link CryptoScript}, given the
 *       wrapped bridge here;
 *   <li>{@code makeHistoricalExport}: {@link HistoricalExportScript}, the jobs every plugin with
 *       {@code exportEvents} gets.
 * </ul>
 *
 * <p>The {@code runtime} it returns has {@code modules} (names a plugin may import), {@code
 * discover()} (after the entry ran: finds the exports, spec §1.4, and returns {@code {methods,
 * jobs, metrics}} as JSON text) and {@code invoke(kind, name, ...jsonArgs)} ({@code kind} is {@code
 * method} or {@code job}; a null argument is {@code undefined}), and {@code invokeEvent(name,
 * kinds, ...members)} for {@code processEvent}'s event as a {@link LazyEvent}. Both return an
 * outcome object that is complete once the microtask queue has drained, which GraalJS does before
 * they return to Java: {@code settled}, {@code failed}, {@code resultJson}, {@code argumentsJson},
 * {@code fromJava}, {@code returnedFirstArgument}, or {@code errorName}, {@code message}, {@code
 * stack}. {@code global()} is the current {@code meta.global}, for {@code plugin-run --dump-state}.
 */
final class RuntimeScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (host, entryDir, makeUrl, makeBuffer, makeFetch, makeCrypto, makeHistoricalExport) {
    'use strict';
    const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
    // Built-ins the call path needs, kept before plugin code can replace them.
    const { parse: jsonParse, stringify: jsonStringify } = JSON;
    const { assign, keys: objectKeys } = Object;
    const { apply } = Reflect;
    const NativePromise = Promise;
    const NativeProxy = Proxy;
    const arrayIndexOf = Array.prototype.indexOf;
    const { get: reflectGet, set: reflectSet, getOwnPropertyDescriptor: reflectGetOwnPropertyDescriptor,
        defineProperty: reflectDefineProperty, deleteProperty: reflectDeleteProperty,
        preventExtensions: reflectPreventExtensions } = Reflect;
    const promiseResolve = Promise.resolve;
    const promiseThen = Promise.prototype.then;

    // Java functions of the bridge; a Java exception becomes an Error with its message.
    const bridge = (name) => {
        const fn = host[name];
        return (...args) => {
            try {
                return fn(...args);
            } catch (e) {
                throw new Error(e && e.message != null ? e.message : String(e));
            }
        };
    };
    const [log, capture, storageGet, storageSet, storageDel, cacheGet, cacheSet, cacheIncr, cacheExpire,
        cacheLpush, cacheLrange, cacheLlen, cacheLrem, cacheLpop, updateMetric, enqueueJob, geoipLocate,
        systemLog, historyBounds, historyEvents, apiCredentials] =
        ['log', 'capture', 'storageGet', 'storageSet', 'storageDel', 'cacheGet', 'cacheSet', 'cacheIncr',
            'cacheExpire', 'cacheLpush', 'cacheLrange', 'cacheLlen', 'cacheLrem', 'cacheLpop', 'metric', 'job',
            'geoipLocate', 'systemLog', 'historyBounds', 'historyEvents', 'apiCredentials'].map(bridge);

    const integer = (value, what) => {
        const number = Math.trunc(Number(value));
        if (!Number.isFinite(number)) throw new TypeError(`${what} must be a number`);
        return number;
    };

    // Errors of plugin-scaffold and of the original server. The name sits on the prototype so
    // stacks start with it and subclasses keep it.
    class RetryError extends Error {}
    RetryError.prototype.name = 'RetryError';
    class IllegalOperationError extends Error {}
    IllegalOperationError.prototype.name = 'IllegalOperationError';

    // console: arguments as String(), objects and arrays as JSON, joined by spaces (spec §2.9).
    const formatArgument = (arg) => {
        let text;
        try {
            text = String(arg);
        } catch (e) {
            text = '[object Object]';
        }
        if (text !== '[object Object]' && !Array.isArray(arg)) return text;
        try {
            return JSON.stringify(arg) ?? text;
        } catch (e) {
            return text;
        }
    };
    const console = {};
    for (const [method, type] of [['debug', 'DEBUG'], ['log', 'LOG'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR']]) {
        console[method] = (...args) => log(type, args.map(formatArgument).join(' '));
    }

    const posthog = {
        capture: async (event, properties = {}) => {
            capture(JSON.stringify({ event, properties }));
        },
    };

    // Node's Buffer, TextEncoder/TextDecoder, atob/btoa; URL; node-fetch; the crypto module.
    const { Buffer, TextEncoder, TextDecoder, atob, btoa } = makeBuffer(bridge);
    const { URL, URLSearchParams } = makeUrl(bridge('domainToAscii'), TextEncoder, TextDecoder);
    const fetch = makeFetch(bridge, { Buffer, URL, URLSearchParams });
    const crypto = makeCrypto(bridge, Buffer);

    // posthog.api (spec §2.4): the team's token and the organization's bot key unless both keys
    // are given. Only GET puts `data` in the query: the original's DELETE test was always false.
    const api = (method) => async (path, options) => {
        const { data, host = 'https://app.posthog.com', projectApiKey, personalApiKey } = options ?? {};
        if (!projectApiKey !== !personalApiKey) {
            throw new Error('You must provide both projectApiKey and personalApiKey, or neither.');
        }
        const { token, personalApiKey: bearer } = projectApiKey ? { token: projectApiKey, personalApiKey } : JSON.parse(apiCredentials());
        const query = new URLSearchParams(method === 'GET' ? { ...data, token } : { token });
        const relative = String(path).replace(/^\\/+/, '');
        const url = `${String(host).replace(/\\/+$/, '')}/${relative}${relative.includes('?') ? '&' : '?'}${query}`;
        const request = { method, headers: { Authorization: `Bearer ${bearer}` } };
        if (method === 'POST' || method === 'PUT') request.body = JSON.stringify(data || {});
        return fetch(url, request);
    };
    posthog.api = { get: api('GET'), post: api('POST'), put: api('PUT'), delete: api('DELETE') };

    // Importable modules (spec §1.3). `import X from` compiles to `require(...).default`, while the
    // original bound the whole module: so each module is its own default.
    const asModule = (exports) => Object.defineProperty(exports, 'default', { value: exports, writable: true, configurable: true });
    const MODULES = {
        '@posthog/plugin-scaffold': asModule({ RetryError }),
        '@posthog/plugin-contrib': asModule({}),
        'node-fetch': asModule(fetch),
        url: asModule({ URL, URLSearchParams }),
        crypto: asModule(crypto),
        zlib: asModule({}),
    };

    // CommonJS over the plugin's own files; the host resolves paths and compiles each file once.
    const loaded = new Map();
    const dirname = (path) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
    const makeRequire = (dir) =>
        function require(name) {
            name = String(name);
            if (!name.startsWith('.') && !name.startsWith('/')) {
                if (own(MODULES, name)) return MODULES[name];
                throw new Error(`Cannot import '${name}'! This package is not provided by PostHog in plugins.`);
            }
            const path = host.resolve(dir, name);
            if (path === null) throw new Error(`Cannot find module '${name}'`);
            let module = loaded.get(path);
            if (module === undefined) {
                let factory;
                try {
                    factory = host.compile(path);
                } catch (e) {
                    // A syntax error as GraalJS reports it; else the host's reason (an import).
                    throw e instanceof SyntaxError ? e : new Error(e.message);
                }
                module = { exports: {} };
                loaded.set(path, module);
                try {
                    factory.call(module.exports, module.exports, makeRequire(dirname(path)), module, path, dirname(path));
                } catch (e) {
                    loaded.delete(path);
                    throw e;
                }
            }
            return module.exports;
        };

    // Globals. The original's `module` and `exports` are separate objects, not Node's alias.
    Object.assign(globalThis, {
        console, posthog, fetch, RetryError, URL, URLSearchParams, Buffer, TextEncoder, TextDecoder, atob, btoa,
        module: { exports: {} }, exports: {}, require: makeRequire(entryDir),
    });

    // meta (spec §1.4, §2.4, §2.7, §4.2).
    const attachments = {};
    for (const [key, a] of Object.entries(JSON.parse(host.attachmentsJson()))) {
        attachments[key] = { content_type: a.content_type, file_name: a.file_name, contents: Buffer.from(a.contents, 'latin1') };
    }

    const storage = {
        async get(key, defaultValue) {
            const value = storageGet(String(key));
            return value === null ? defaultValue : JSON.parse(value);
        },
        async set(key, value) {
            if (value === undefined) storageDel(String(key));
            else storageSet(String(key), JSON.stringify(value));
        },
        async del(key) {
            storageDel(String(key));
        },
    };

    const cache = {
        async set(key, value, ttlSeconds, options) {
            const { jsonSerialize = true } = options ?? {};
            const text = jsonSerialize ? JSON.stringify(value) : value;
            cacheSet(String(key), text == null ? '' : String(text), ttlSeconds ? Math.trunc(Number(ttlSeconds)) || null : null);
        },
        // A missing key gives the default: the original returned null (spec §2.4), a known bug.
        async get(key, defaultValue, options) {
            const { jsonSerialize = true } = options ?? {};
            const value = cacheGet(String(key));
            if (value === null) return defaultValue;
            if (value === '' || !jsonSerialize) return value || null;
            try {
                return JSON.parse(value);
            } catch (e) {
                return null;
            }
        },
        async incr(key) {
            return cacheIncr(String(key));
        },
        async expire(key, ttlSeconds) {
            return cacheExpire(String(key), integer(ttlSeconds, 'ttlSeconds'));
        },
        async lpush(key, elementOrArray) {
            const isString = typeof elementOrArray === 'string';
            if (!Array.isArray(elementOrArray) && !isString) {
                throw new Error('cache.lpush expects a string value or an array of strings');
            }
            if (!isString && elementOrArray.length > 1000) {
                throw new IllegalOperationError('Too many elements in array for cache.lpush. Maximum: 1000');
            }
            return cacheLpush(String(key), JSON.stringify(isString ? [elementOrArray] : elementOrArray.map((e) => String(e))));
        },
        async lrange(key, startIndex, endIndex) {
            if (typeof startIndex !== 'number' || typeof endIndex !== 'number') {
                throw new Error('cache.lrange expects a number for the start and end indexes');
            }
            return JSON.parse(cacheLrange(String(key), integer(startIndex, 'startIndex'), integer(endIndex, 'endIndex')));
        },
        async llen(key) {
            return cacheLlen(String(key));
        },
        async lrem(key, count, elementKey) {
            return cacheLrem(String(key), integer(count, 'count'), String(elementKey));
        },
        async lpop(key, count) {
            const popped = JSON.parse(cacheLpop(String(key), integer(count, 'count')));
            return popped.length > 0 ? popped : null;
        },
    };

    // The original kept cursors in plugin storage, so storage.get sees them; one call at a time
    // per plugin config makes read-then-write safe here.
    const cursor = {
        async init(key, initialValue) {
            initialValue = initialValue || 0;
            if (typeof initialValue !== 'number') throw new Error("The cursor's initial value must be a number!");
            if (storageGet(String(key)) === null) storageSet(String(key), JSON.stringify(initialValue));
        },
        async increment(key, incrementBy) {
            incrementBy = incrementBy || 1;
            if (typeof incrementBy !== 'number') throw new Error('The incrementBy value must be a number!');
            const stored = storageGet(String(key));
            const value = stored === null ? incrementBy : Number(JSON.parse(stored)) + incrementBy;
            storageSet(String(key), JSON.stringify(value));
            return value;
        },
    };

    const metricTypes = {};
    const METRIC_OPERATIONS = { sum: 'increment', max: 'max', min: 'min' };
    // Plugins with exportEvents get these (spec §2.7); the host counts them on each flush.
    const EXPORT_METRICS = ['events_seen', 'events_delivered_successfully', 'undelivered_events', 'retry_errors', 'other_errors'];
    const metrics = new Proxy({}, {
        get(target, name) {
            if (typeof name !== 'string' || !own(metricTypes, name)) throw new IllegalOperationError('Invalid metric name');
            const type = metricTypes[name];
            return {
                [METRIC_OPERATIONS[type]]: (value) => {
                    if (typeof value !== 'number') throw new IllegalOperationError('Only numbers are allowed for operations on metrics');
                    updateMetric(name, type, value);
                },
            };
        },
    });

    // runIn units as the original, except that a month is 30 days (the original: 30 weeks).
    const DAY = 86400000;
    const DURATIONS = { milliseconds: 1, seconds: 1000, minutes: 60000, hours: 3600000, days: DAY, weeks: 7 * DAY, months: 30 * DAY, quarters: 91 * DAY, years: 365 * DAY };
    const jobs = new Proxy({}, {
        get(target, name) {
            if (typeof name !== 'string') return undefined;
            return (payload) => {
                const enqueue = (runAt) => enqueueJob(name, payload === undefined ? null : JSON.stringify(payload) ?? null, runAt);
                return {
                    runNow: async () => enqueue(null),
                    runIn: async (duration, unit) => {
                        unit = `${unit}${String(unit).endsWith('s') ? '' : 's'}`;
                        if (!own(DURATIONS, unit)) throw new Error(`Unknown time unit: ${unit}`);
                        enqueue(new Date(Date.now() + DURATIONS[unit] * duration).toISOString());
                    },
                    runAt: async (date) => enqueue(new Date(date.valueOf()).toISOString()),
                };
            };
        },
    });

    // The record arrives as JSON so that it is made of plain objects and real arrays
    // (plugins call subdivisions.entries()); null for an unknown IP; the host's error without a database.
    const geoip = {
        async locate(ipAddress) {
            const json = geoipLocate(String(ipAddress));
            return json === null ? null : jsonParse(json);
        },
    };

    const meta = {
        cache, config: JSON.parse(host.configJson()), attachments, storage, geoip, jobs, metrics, utils: { cursor }, global: {},
    };
    if (!host.hasGeoip()) delete meta.geoip;

    // Export discovery (spec §1.4).
    const METHODS = ['setupPlugin', 'teardownPlugin', 'processEvent', 'processEventBatch', 'onEvent', 'onSnapshot', 'exportEvents'];
    let exported = null;
    const discover = () => {
        const { exports, module } = globalThis;
        const destinations = [exports, exports?.default, module?.exports].filter((d) => typeof d === 'object' && d !== null);
        if (!destinations.some((d) => Object.keys(d).length > 0)) destinations.push(globalThis);
        const find = (key) => destinations.find((d) => d[key])?.[key];
        const methods = {};
        for (const name of METHODS) {
            if (typeof find(name) === 'function') methods[name] = find(name);
        }
        if (!methods.processEvent && methods.processEventBatch) {
            const processEventBatch = methods.processEventBatch;
            methods.processEvent = async (event, meta) => (await processEventBatch([event], meta))?.[0];
        }
        const jobs = {};
        for (const d of [...destinations].reverse()) {
            for (const [name, value] of Object.entries(d)) {
                if (name.startsWith('runEvery') && typeof value === 'function') methods[name] = value;
            }
            if (typeof d.jobs === 'object' && d.jobs !== null) {
                for (const [name, value] of Object.entries(d.jobs)) if (typeof value === 'function') jobs[name] = value;
            }
            if (typeof d.metrics === 'object' && d.metrics !== null) {
                for (const [name, type] of Object.entries(d.metrics)) if (typeof type === 'string') metricTypes[name] = type.toLowerCase();
            }
        }
        if (methods.exportEvents) {
            for (const name of EXPORT_METRICS) metricTypes[name] ??= 'sum';
            const history = { bounds: historyBounds, events: historyEvents, log: systemLog };
            const historical = makeHistoricalExport(meta, methods.exportEvents, history, RetryError);
            for (const [name, fn] of Object.entries(historical)) jobs[name] ??= fn;
        }
        const unsupported = Object.values(metricTypes).filter((type) => !own(METRIC_OPERATIONS, type));
        if (unsupported.length > 0) {
            throw new IllegalOperationError(`Only 'sum', 'max', and 'min' are supported as metric types. Invalid types received: ${unsupported.join(', ')}`);
        }
        exported = { method: methods, job: jobs };
        return jsonStringify({ methods: Object.keys(methods), jobs: Object.keys(jobs), metrics: metricTypes });
    };

    const describe = (error) => {
        try {
            if (error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error && 'message' in error)) {
                return { errorName: String(error.name), message: String(error.message), stack: error.stack == null ? null : String(error.stack) };
            }
            return { errorName: null, message: String(error), stack: null };
        } catch (e) {
            return { errorName: null, message: Object.prototype.toString.call(error), stack: null };
        }
    };

    // One call of fn(...args, meta), its result awaited. Only built-ins saved above and plain
    // loops, so a plugin that patched prototypes cannot make the outcome unreadable; the outcome
    // has no prototype for the same reason. serialize() gives {argumentsJson, fromJava}: each
    // argument as JSON as the plugin left it, and for processEvent's event, the members to take
    // from the Java event instead.
    const call = (fn, args, serialize) => {
        const outcome = { __proto__: null, settled: false, failed: false };
        const fail = (error) => {
            let after = { argumentsJson: null, fromJava: null };
            try {
                after = serialize();
            } catch (e) {
                // Unserialisable now (a cycle): the caller learns nothing about the arguments.
            }
            assign(outcome, describe(error), after, { settled: true, failed: true });
        };
        const succeed = (result) => {
            try {
                const after = serialize();
                const returnedFirstArgument = typeof result === 'object' && result !== null && result === args[0];
                assign(outcome, after, {
                    // The usual in-place processEvent returns its argument: serialise it once.
                    resultJson: returnedFirstArgument && after.argumentsJson.length > 0
                        ? after.argumentsJson[0] : result == null ? null : jsonStringify(result) ?? null,
                    returnedFirstArgument,
                    settled: true,
                });
            } catch (e) {
                fail(e);
            }
        };
        try {
            const callArgs = [];
            for (let i = 0; i < args.length; i++) callArgs[i] = args[i];
            callArgs[args.length] = meta;
            apply(promiseThen, apply(promiseResolve, NativePromise, [apply(fn, undefined, callArgs)]), [succeed, fail]);
        } catch (e) {
            fail(e);
        }
        return outcome;
    };

    // Arguments from JSON; a null argument is undefined. Only processEvent's arguments go back:
    // no other hook's in-place changes are kept (spec §2.2), so they are not serialised again.
    const invoke = (kind, name, ...jsonArgs) => {
        const args = [];
        for (let i = 0; i < jsonArgs.length; i++) args[i] = jsonArgs[i] === null ? undefined : jsonParse(jsonArgs[i]);
        const keepArguments = kind === 'method' && name === 'processEvent';
        return call(exported[kind][name], args, () => {
            const argumentsJson = [];
            for (let i = 0; keepArguments && i < args.length; i++) argumentsJson[i] = jsonStringify(args[i]) ?? null;
            return { argumentsJson, fromJava: null };
        });
    };

    // processEvent's event (LazyEvent.java): members come as key/value pairs, kinds[i] telling
    // whether value i is the member itself ('v') or, for an object or array, its JSON text ('j'),
    // which stays text until the plugin first touches the member: a Proxy over the event parses
    // it on its first get, descriptor or redefinition, and forgets the text of one assigned or
    // deleted. Everything else goes straight to the target, so the event behaves as the plain
    // object it stands for. Members the plugin left as they came (texts never parsed, values the
    // same) are taken from the Java event: with the keys as given, "fromJava" is true and the JSON
    // holds only the changed members; otherwise it names those members, null in the full JSON.
    const lazyTraps = {
        __proto__: null,
        load(target, key) {
            const text = this.pending[key];
            if (text !== undefined) {
                this.pending[key] = undefined;
                this.count--;
                target[key] = jsonParse(text);
            }
        },
        drop(key) {
            if (this.pending[key] !== undefined) {
                this.pending[key] = undefined;
                this.count--;
            }
        },
        get(target, key, receiver) {
            if (this.count > 0) this.load(target, key);
            return reflectGet(target, key, receiver);
        },
        getOwnPropertyDescriptor(target, key) {
            if (this.count > 0) this.load(target, key);
            return reflectGetOwnPropertyDescriptor(target, key);
        },
        defineProperty(target, key, descriptor) {
            if (this.count > 0) this.load(target, key);
            return reflectDefineProperty(target, key, descriptor);
        },
        set(target, key, value, receiver) {
            if (receiver !== this.proxy) {
                if (this.count > 0) this.load(target, key);
                return reflectSet(target, key, value, receiver);
            }
            if (this.count > 0) this.drop(key);
            return reflectSet(target, key, value);
        },
        deleteProperty(target, key) {
            if (this.count > 0) this.drop(key);
            return reflectDeleteProperty(target, key);
        },
        preventExtensions(target) {
            const pendingKeys = objectKeys(this.pending);
            for (let i = 0; i < pendingKeys.length; i++) this.load(target, pendingKeys[i]);
            return reflectPreventExtensions(target);
        },
    };
    const invokeEvent = (name, kinds, ...members) => {
        const target = {};
        const handler = { __proto__: lazyTraps, pending: { __proto__: null }, count: 0, proxy: null };
        const givenKeys = [];
        const givenValues = [];
        for (let i = 0; i < kinds.length; i++) {
            const key = members[2 * i];
            let value = members[2 * i + 1];
            givenKeys[i] = key;
            if (kinds[i] === 'j') {
                handler.pending[key] = value;
                handler.count++;
                value = null;
            } else {
                givenValues[i] = value;
            }
            if (key === '__proto__') {
                reflectDefineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
            } else {
                target[key] = value;
            }
        }
        const event = new NativeProxy(target, handler);
        handler.proxy = event;
        const mayVanish = (value) => value === undefined || typeof value === 'function' || typeof value === 'symbol'
            || (typeof value === 'object' && value !== null && 'toJSON' in value);
        const leftAlone = (key, value, i) =>
            handler.pending[key] !== undefined || (value === givenValues[i] && kinds[i] === 'v');
        return call(exported.method[name], [event], () => {
            // With a toJSON anywhere on it, only JSON.stringify itself knows what the event gives.
            if ('toJSON' in target) return { argumentsJson: [jsonStringify(event) ?? null], fromJava: [] };
            const keys = objectKeys(target);
            let sameKeys = keys.length === givenKeys.length;
            for (let i = 0; sameKeys && i < keys.length; i++) sameKeys = keys[i] === givenKeys[i];
            if (sameKeys) {
                // The usual case: the members as they came, in their order; only changes cross,
                // unless one may serialise to nothing, which only the full JSON can show.
                let changed = null;
                for (let i = 0; sameKeys && i < keys.length; i++) {
                    const value = target[keys[i]];
                    if (!leftAlone(keys[i], value, i)) {
                        changed ??= { __proto__: null };
                        changed[keys[i]] = value;
                        sameKeys = !mayVanish(value);
                    }
                }
                if (sameKeys) return { argumentsJson: [changed === null ? '{}' : jsonStringify(changed)], fromJava: true };
            }
            const shallow = { __proto__: null };
            const fromJava = [];
            for (let i = 0; i < keys.length; i++) {
                const key = keys[i];
                const value = target[key];
                const given = apply(arrayIndexOf, givenKeys, [key]);
                if (given >= 0 && leftAlone(key, value, given)) {
                    shallow[key] = null;
                    fromJava[fromJava.length] = key;
                } else {
                    shallow[key] = value;
                }
            }
            return { argumentsJson: [jsonStringify(shallow)], fromJava };
        });
    };

    return { modules: Object.keys(MODULES), discover, invoke, invokeEvent, global: () => meta.global };
})
""",
                            "posthog-runtime.js")
                    .buildLiteral();

    private RuntimeScript() {}
}
