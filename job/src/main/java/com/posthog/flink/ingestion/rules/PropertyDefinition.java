package com.posthog.flink.ingestion.rules;

/**
 * A row of {@code posthog_propertydefinition} to insert.
 *
 * @param name the property key
 * @param isNumerical whether the value was a JSON number when the key was first seen; never revised
 *     afterwards, as in the original
 */
public record PropertyDefinition(String name, boolean isNumerical) {}
