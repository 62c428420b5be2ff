package com.posthog.flink.plugin.runtime;

import org.graalvm.polyglot.Source;

/**
 * The historical export upgrade of plugins with {@code exportEvents} (spec §2.6): the public job
 * {@code Export historical events} ({@code {dateFrom?, dateTo?}}, ISO dates; without them, the
 * team's first and last event) and the step job {@code exportEventsFromTheBeginning}, which walks
 * the range in 10-minute windows of at most 100 events each, keeping its cursor in plugin storage
 * ({@code timestamp_cursor}, {@code min_timestamp}, {@code max_timestamp}, {@code
 * is_export_running}) and retrying a window with backoff on a fetch failure or a {@code
 * RetryError}.
 *
 * <p>Evaluates to {@code (meta, exportEvents, history, RetryError) => jobs}: {@code history} gives
 * {@code bounds()} (JSON {@code {min, max}} in ms, nulls for a team without events), {@code
 * events(fromMs, intervalMs, offset, limit)} (a JSON array of plugin events) and {@code log(type,
 * message)} (a SYSTEM entry of the plugin log).
 */
final class HistoricalExportScript {

    static final Source SOURCE =
            Source.newBuilder(
                            "js",
                            """
(function (meta, exportEvents, history, RetryError) {
    'use strict';
    const INTERVAL = 10 * 60 * 1000;
    const PER_RUN = 100;
    const MAX_RETRIES = 15;
    const { storage, jobs, utils: { cursor } } = meta;
    const iso = (ms) => new Date(ms).toISOString();
    const date = (value, name) => {
        const ms = new Date(value).getTime();
        if (Number.isNaN(ms)) throw new Error(`'${name}' should be a timestamp in ISO string format.`);
        return ms;
    };

    const start = async (payload) => {
        const { dateFrom, dateTo } = payload ?? {};
        if (await storage.get('is_export_running', false)) {
            history.log('WARN', 'An export of historical events is already running: not starting another.');
            return;
        }
        for (const key of ['timestamp_cursor', 'min_timestamp', 'max_timestamp']) await storage.del(key);
        const bounds = dateFrom && dateTo ? {} : JSON.parse(history.bounds());
        const min = dateFrom ? date(dateFrom, 'dateFrom') : bounds.min;
        const max = dateTo ? date(dateTo, 'dateTo') : bounds.max;
        if (min == null || max == null) {
            history.log('LOG', 'No events to export: the project has no events yet.');
            return;
        }
        await storage.set('is_export_running', true);
        await cursor.init('timestamp_cursor', min - INTERVAL);
        await storage.set('min_timestamp', min);
        await storage.set('max_timestamp', max);
        history.log('LOG', `Exporting historical events from ${iso(min)} to ${iso(max)}.`);
        await jobs.exportEventsFromTheBeginning({ retriesPerformedSoFar: 0, incrementTimestampCursor: true }).runNow();
    };

    const step = async (payload) => {
        const retries = payload?.retriesPerformedSoFar ?? 0;
        let timestampCursor = payload?.timestampCursor;
        let offset = payload?.intraIntervalOffset ?? 0;
        if (payload?.incrementTimestampCursor || !timestampCursor) {
            timestampCursor = await cursor.increment('timestamp_cursor', INTERVAL);
            offset = 0;
        }
        const window = `events ${offset}-${offset + PER_RUN} from ${iso(timestampCursor)} to ${iso(timestampCursor + INTERVAL)}`;
        if (retries >= MAX_RETRIES) {
            history.log('ERROR', `Gave up on ${window} after ${MAX_RETRIES} retries.`);
            return;
        }
        const max = await storage.get('max_timestamp', null);
        if (max === null || timestampCursor > max) {
            await storage.del('is_export_running');
            history.log('LOG', 'Done exporting all events');
            return;
        }
        let events = [];
        let fetchError = null;
        let exportError = null;
        try {
            events = JSON.parse(history.events(timestampCursor, INTERVAL, offset, PER_RUN));
        } catch (e) {
            fetchError = e;
        }
        if (!fetchError) {
            await jobs.exportEventsFromTheBeginning({
                timestampCursor, incrementTimestampCursor: events.length === 0, retriesPerformedSoFar: 0, intraIntervalOffset: offset + PER_RUN,
            }).runNow();
        }
        if (events.length > 0) {
            try {
                await exportEvents(events, meta);
            } catch (e) {
                exportError = e;
            }
        }
        if (fetchError || exportError instanceof RetryError) {
            const seconds = 3 * 2 ** retries;
            history.log('LOG', `Failed processing ${window}. Retrying in ${seconds}s`);
            await jobs.exportEventsFromTheBeginning({ timestampCursor, intraIntervalOffset: offset, retriesPerformedSoFar: retries + 1 }).runIn(seconds, 'seconds');
        } else if (exportError) {
            history.log('ERROR', `Failed processing ${window}: ${exportError?.message ?? exportError}`);
        } else if (events.length > 0) {
            history.log('LOG', `Successfully processed ${window}.`);
        }
    };

    return { 'Export historical events': start, exportEventsFromTheBeginning: step };
})
""",
                            "posthog-historical-export.js")
                    .buildLiteral();

    private HistoricalExportScript() {}
}
