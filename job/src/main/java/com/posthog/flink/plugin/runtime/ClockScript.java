package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * A clock the host sets, for {@code plugin-run --now}: replaces the global {@code Date} before any
 * other script runs, so that {@code Date.now()}, {@code new Date()} and {@code Date()} read the
 * host's time while every other use of {@code Date} (parsing, arithmetic, {@code instanceof}) is
 * the built-in one. GraalJS has no engine option for a fixed clock, hence this prelude; the job
 * never evaluates it.
 *
 * <p>Evaluates to a function {@code (hostNow) => undefined}, where {@code hostNow()} returns the time in
 * Unix milliseconds.
 */
final class ClockScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (hostNow) {
    'use strict';
    const NativeDate = Date;
    const construct = Reflect.construct;
    function Date(...args) {
        if (new.target === undefined) return new NativeDate(hostNow()).toString();
        return construct(NativeDate, args.length === 0 ? [hostNow()] : args, new.target);
    }
    Object.setPrototypeOf(Date, NativeDate);
    Date.prototype = NativeDate.prototype;
    Object.defineProperty(NativeDate.prototype, 'constructor', { value: Date, writable: true, configurable: true });
    Object.defineProperty(Date, 'now', { value: { now() { return hostNow(); } }.now, writable: true, configurable: true });
    Object.defineProperty(Date, 'name', { value: 'Date' });
    Object.defineProperty(Date, 'length', { value: 7 });
    Object.defineProperty(globalThis, 'Date', { value: Date, writable: true, configurable: true });
})
""",
                            "posthog-clock.js")
                    .buildLiteral();

    private ClockScript() {}
}
