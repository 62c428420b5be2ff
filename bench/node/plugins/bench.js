// scripts/bench plugins, the Node columns: each corpus plugin's processEvent over the generated
// events, from an event's JSON text to the processed event's JSON text, as events come from and go
// to Kafka. Run by scripts/bench (which installs package.json's modules into a cache outside the
// clone and sets NODE_PATH):
//
//   node bench.js MODE CORPUS.json PLUGIN_DIR EVENTS.jsonl WARMUP_S RUN_S RUNS
//
// MODE: vm2-host  (c)  the plugin inside vm2, the event passed as a host object, as the original
//                      plugin server did (its meta frozen into the sandbox, its timeout guard)
//       vm2-json  (c') the same, the event passed as JSON text and parsed inside the sandbox
//       node      (d)  plain Node, no sandbox
// Prints one line per plugin: "<plugin>\t<events/s>" (median of RUNS runs), after one warm-up of
// WARMUP_S seconds that takes the plugins round-robin.
'use strict'
const fs = require('fs')
const path = require('path')
const ts = require('typescript')
const { Reader } = require('@maxmind/geoip2-node')

const [mode, corpusFile, pluginDir, eventsFile, warmupS, runS, runs] = process.argv.slice(2)
if (!['vm2-host', 'vm2-json', 'node'].includes(mode) || !runs) {
    console.error('Usage: node bench.js vm2-host|vm2-json|node CORPUS.json PLUGIN_DIR EVENTS.jsonl WARMUP_S RUN_S RUNS')
    process.exit(2)
}
const TIMEOUT_MS = 30_000 // the original's TASK_TIMEOUT

// The plugin's entry as CommonJS, as the original's Babel step made it.
function pluginSource(dir) {
    const main = JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8')).main || 'index.js'
    const text = fs.readFileSync(path.join(dir, main), 'utf8')
    if (!main.endsWith('.ts')) return text
    return ts.transpileModule(text, {
        fileName: main,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText
}

// meta as the original built it: config, global, an in-memory cache with its async API and TTL
// (Redis there), and geoip.locate through MaxMind's Node reader. Inside vm2 it is frozen into the
// sandbox, with a fresh sandbox-side global.
function createMeta(plugin, dir) {
    const cache = new Map()
    const live = (key) => {
        const entry = cache.get(key)
        if (entry && entry.expires !== null && entry.expires <= Date.now()) cache.delete(key)
        return cache.get(key)
    }
    const meta = {
        config: plugin.config,
        global: {},
        attachments: {},
        cache: {
            set: async (key, value, ttlSeconds) => {
                cache.set(key, { value: JSON.stringify(value), expires: ttlSeconds ? Date.now() + ttlSeconds * 1000 : null })
            },
            get: async (key, defaultValue) => {
                const entry = live(key)
                return entry ? JSON.parse(entry.value) : defaultValue
            },
        },
    }
    if (plugin.mmdb) {
        const reader = Reader.openBuffer(fs.readFileSync(path.join(dir, plugin.mmdb)))
        meta.geoip = {
            locate: async (ip) => {
                try {
                    return reader.city(ip)
                } catch {
                    return null
                }
            },
        }
    }
    return meta
}

// A function of the event JSON that resolves to the processed event's JSON (or null if dropped).
async function load(plugin) {
    const dir = path.join(pluginDir, plugin.name)
    const source = pluginSource(dir)
    const meta = createMeta(plugin, dir)
    const withEvent = (process) => (json) => process(JSON.parse(json)).then((e) => (e ? JSON.stringify(e) : null))
    // processEvent, or the shim for processEventBatch-only plugins (spec §2.1), meta appended.
    const bind = `
        const __source = Object.keys(module.exports).length ? module.exports : exports;
        const __processEvent = __source.processEvent
            || (async (event, meta) => (await __source.processEventBatch([event], meta))[0]);
        const __setupPlugin = __source.setupPlugin || (async () => {});`
    if (mode === 'node') {
        const exported = new Function('module', 'exports', 'meta',
            `${source}\n;${bind}\nreturn { setupPlugin: () => __setupPlugin(meta), processEvent: (e) => __processEvent(e, meta) }`)(
            { exports: {} }, {}, meta)
        await exported.setupPlugin()
        return withEvent(exported.processEvent)
    }
    const { VM } = require('vm2')
    const vm = new VM({ sandbox: {} })
    vm.freeze(meta, '__pluginHostMeta')
    const methods = vm.run(`(() => {
        const module = { exports: {} };
        let exports = {};
        const __meta = { ...__pluginHostMeta, global: {} };
        ${source}
        ;${bind}
        return {
            setupPlugin: () => __setupPlugin(__meta),
            processEvent: (event) => __processEvent(event, __meta),
            processEventJson: async (json) => {
                const event = await __processEvent(JSON.parse(json), __meta);
                return event ? JSON.stringify(event) : null;
            },
        };
    })()`)
    // The original's guard around every plugin call: a timer raced against the call.
    const guard = (fn) => async (arg) => {
        let timer
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('Script execution timed out')), TIMEOUT_MS)
        })
        try {
            return await Promise.race([fn(arg), timeout])
        } finally {
            clearTimeout(timer)
        }
    }
    await guard(methods.setupPlugin)()
    return mode === 'vm2-host' ? withEvent(guard(methods.processEvent)) : guard(methods.processEventJson)
}

// Events per second over `seconds`, taking the events in turn; the clock is read every 64 events.
async function rate(run, events, seconds, state) {
    const start = process.hrtime.bigint()
    const end = start + BigInt(Math.round(seconds * 1e9))
    let count = 0
    let now = start
    while (now < end) {
        for (let i = 0; i < 64; i++) {
            await run(events[state.next])
            state.next = (state.next + 1) % events.length
        }
        count += 64
        now = process.hrtime.bigint()
    }
    return count / (Number(now - start) / 1e9)
}

async function main() {
    const corpus = JSON.parse(fs.readFileSync(corpusFile, 'utf8')).plugins
    const events = fs.readFileSync(eventsFile, 'utf8').split('\n').filter((line) => line.trim())
    const runners = []
    for (const plugin of corpus) runners.push({ name: plugin.name, run: await load(plugin), state: { next: 0 } })
    const warmupEnd = Date.now() + Number(warmupS) * 1000
    while (Date.now() < warmupEnd) {
        for (const r of runners) await rate(r.run, events, 1, r.state)
    }
    for (const r of runners) {
        const rates = []
        for (let i = 0; i < Number(runs); i++) rates.push(await rate(r.run, events, Number(runS), r.state))
        rates.sort((a, b) => a - b)
        console.log(`${r.name}\t${rates[Math.floor(rates.length / 2)].toFixed(0)}`)
    }
}

main().catch((e) => {
    console.error(e.stack || String(e))
    process.exit(1)
})
