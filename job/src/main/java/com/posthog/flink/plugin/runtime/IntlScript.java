package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * Where GraalJS 23.1's {@code Intl} and {@code Date} differ from Node's (V8's) on the same locale
 * data, the built-ins are patched to give V8's result. The time zone (UTC) and default locale
 * ({@code en-US}) are context options, set in {@link JsEngine#newContext()}.
 *
 * <ul>
 *   <li>V8 writes a plain space where ICU 72 puts U+202F (narrow no-break space) in formatted dates
 *       and times, such as before "PM" ({@code format} and {@code toLocale*String}; not {@code
 *       formatToParts} or {@code formatRange}).
 *   <li>V8 names the UTC zone {@code UTC} in {@code resolvedOptions()} and "Coordinated Universal
 *       Time" in {@code Date}'s {@code toString()}; GraalJS says {@code GMT}.
 *   <li>GraalJS reports but does not apply a collator's {@code numeric} and {@code caseFirst}
 *       options; given as locale keywords ({@code -u-kn}, {@code -u-kf}) instead, it applies them.
 * </ul>
 *
 * <p>A script run for its effect on the context's built-ins, before the runtime script.
 */
final class IntlScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(() => {
    'use strict';
    const { apply } = Reflect;
    const define = (object, name, value) => Object.defineProperty(object, name, { value, writable: true, configurable: true });
    const patchMethod = (object, name, fix) => {
        const native = object[name];
        define(object, name, { [name](...args) { return fix(apply(native, this, args)); } }[name]);
    };

    const plainSpaces = (text) => text.replace(/\\u202f/g, ' ');
    for (const name of ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']) patchMethod(Date.prototype, name, plainSpaces);
    const DateTimeFormat = Intl.DateTimeFormat.prototype;
    const nativeFormat = Object.getOwnPropertyDescriptor(DateTimeFormat, 'format').get;
    const formats = new WeakMap();
    Object.defineProperty(DateTimeFormat, 'format', {
        get: function format() {
            let fn = formats.get(this);
            if (fn === undefined) {
                const bound = apply(nativeFormat, this, []);
                fn = (date) => plainSpaces(bound(date));
                formats.set(this, fn);
            }
            return fn;
        },
        configurable: true,
    });
    const UTC_NAMES = ['UTC', 'GMT', 'Etc/UTC', 'Etc/GMT'];
    patchMethod(DateTimeFormat, 'resolvedOptions', (options) =>
        UTC_NAMES.includes(options.timeZone) ? { ...options, timeZone: 'UTC' } : options);
    for (const name of ['toString', 'toTimeString']) {
        patchMethod(Date.prototype, name, (text) => text.replace(/ \\(GMT\\)$/, ' (Coordinated Universal Time)'));
    }

    const NativeCollator = Intl.Collator;
    const needsKeywords = (options) => options != null && (options.numeric !== undefined || options.caseFirst !== undefined);
    const withKeywords = (locales, options) => {
        const tags = locales === undefined ? [] : Intl.getCanonicalLocales(locales);
        if (tags.length === 0) tags.push(new NativeCollator().resolvedOptions().locale);
        const keywords = {};
        if (options.numeric !== undefined) keywords.numeric = Boolean(options.numeric);
        if (options.caseFirst !== undefined) keywords.caseFirst = String(options.caseFirst);
        return tags.map((tag) => new Intl.Locale(tag, keywords).toString());
    };
    const Collator = function Collator(locales, options) {
        if (!needsKeywords(options)) return new NativeCollator(locales, options);
        const rest = Object.create(options);
        rest.numeric = rest.caseFirst = undefined;
        return new NativeCollator(withKeywords(locales, options), rest);
    };
    Collator.prototype = NativeCollator.prototype;
    Object.defineProperty(Collator, 'length', { value: 0 });
    define(Collator, 'supportedLocalesOf', NativeCollator.supportedLocalesOf);
    define(NativeCollator.prototype, 'constructor', Collator);
    define(Intl, 'Collator', Collator);
    // One collator per locales and options, as V8 caches them: sorts call localeCompare a lot.
    const collators = new Map();
    const nativeLocaleCompare = String.prototype.localeCompare;
    define(String.prototype, 'localeCompare', {
        localeCompare(that, locales, options) {
            if (this == null || !needsKeywords(options)) return apply(nativeLocaleCompare, this, [that, locales, options]);
            let key;
            try {
                key = JSON.stringify([locales, options]);
            } catch (e) {
                // Not serialisable (a BigInt option): not cached.
            }
            let collator = collators.get(key);
            if (collator === undefined) {
                collator = new Collator(locales, options);
                if (collators.size >= 64) collators.clear();
                if (key !== undefined) collators.set(key, collator);
            }
            return collator.compare(String(this), String(that));
        },
    }.localeCompare);
})();
""",
                            "intl.js")
                    .buildLiteral();

    private IntlScript() {}
}
