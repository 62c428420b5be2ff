package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * A clock the host sets, for {@code plugin-run --now}: replaces the global {@code Date} before any
 * other script runs, so that {@code Date.now()}, {@code new Date()} and {@code Date()} read the
 * host's time while every other use of {@code Date} (parsing, arithmetic, {@code instanceof}) is
 * the built-in one. GraalJS has no engine option for a fixed clock, hence this prelude; the job
 * never evaluates it.
 *
 * <p>Evaluates to a function {@code (hostNow) => undefined}, where {@code hostNow()} returns the
 * time in Unix milliseconds.
 */
final class ClockScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (hostNow) {
    'use strict';
    const NativeDate = globalThis.Date;
    const construct = Reflect.construct;
    // A named function expression: a declaration named Date would be hoisted over NativeDate above.
    const FixedDate = function Date(...args) {
        if (new.target === undefined) return new NativeDate(hostNow()).toString();
        return construct(NativeDate, args.length === 0 ? [hostNow()] : args, new.target);
    };
    Object.setPrototypeOf(FixedDate, NativeDate);
    Object.defineProperty(FixedDate, 'prototype', { value: NativeDate.prototype });
    Object.defineProperty(NativeDate.prototype, 'constructor', { value: FixedDate, writable: true, configurable: true });
    Object.defineProperty(FixedDate, 'now', { value: { now() { return hostNow(); } }.now, writable: true, configurable: true });
    Object.defineProperty(FixedDate, 'length', { value: 7 });
    Object.defineProperty(globalThis, 'Date', { value: FixedDate, writable: true, configurable: true });
})
""",
                            "posthog-clock.js")
                    .buildLiteral();

    private ClockScript() {}
}
