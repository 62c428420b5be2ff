package com.posthog.flink.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The event time rule of the original ({@code handleTimestamp}, spec §3.5 step 3, and
 * ingestion-observed.md), at millisecond precision.
 */
public final class Timestamps {

    /** ISO 8601 date, optional time (with {@code T} or a space), optional fraction and offset. */
    private static final DateTimeFormatter ISO =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .optionalStart()
                    .appendLiteral('T')
                    .appendValue(ChronoField.HOUR_OF_DAY, 2)
                    .appendLiteral(':')
                    .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
                    .optionalStart()
                    .appendLiteral(':')
                    .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .optionalEnd()
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH:MM", "Z")
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HHMM", "Z")
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH", "Z")
                    .optionalEnd()
                    .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                    .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                    .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                    .toFormatter();

    /** V8 also reads {@code 2021-10-29 12:00:00}. */
    private static final java.util.regex.Pattern DATE_SPACE_TIME =
            java.util.regex.Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}) ");

    private Timestamps() {}

    /**
     * The event time in epoch milliseconds.
     *
     * <ul>
     *   <li>{@code timestamp} and {@code sent_at}: {@code now + (timestamp − sent_at)} (clock skew
     *       corrected);
     *   <li>{@code timestamp} only: the timestamp as is;
     *   <li>else a truthy {@code offset} (ms): {@code now − offset};
     *   <li>else {@code now}.
     * </ul>
     *
     * @throws IllegalArgumentException when the timestamp cannot be read as a date
     */
    public static long eventTime(JsonNode timestamp, JsonNode offset, long now, Long sentAt) {
        if (Json.truthy(timestamp)) {
            Long parsed = parseDate(timestamp);
            if (parsed == null) {
                throw new IllegalArgumentException(
                        "Invalid timestamp " + Json.write(timestamp) + ": not a date");
            }
            return sentAt != null ? now + (parsed - sentAt) : parsed;
        }
        if (Json.truthy(offset) && offset.isNumber()) {
            return now - (long) Math.floor(offset.doubleValue());
        }
        return now;
    }

    /** JavaScript {@code new Date(value)} for the values clients send: ISO text or epoch ms. */
    public static Long parseDate(JsonNode value) {
        if (value.isNumber()) {
            return (long) Math.floor(value.doubleValue());
        }
        if (!value.isTextual()) {
            return null;
        }
        Long iso = parseIso(value.textValue());
        if (iso != null) {
            return iso;
        }
        try {
            return ZonedDateTime.parse(
                            value.textValue().trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An ISO 8601 instant in epoch ms (no offset means UTC), or null when it is not one. */
    public static Long parseIso(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String normalised = DATE_SPACE_TIME.matcher(text.trim()).replaceFirst("$1T");
            TemporalAccessor parsed = ISO.parse(normalised);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return OffsetDateTime.from(parsed).toInstant().toEpochMilli();
            }
            return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
