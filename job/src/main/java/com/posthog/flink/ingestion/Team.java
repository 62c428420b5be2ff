package com.posthog.flink.ingestion;

/** The parts of {@code posthog_team} that ingestion needs. */
public record Team(long id, boolean anonymizeIps) {}
