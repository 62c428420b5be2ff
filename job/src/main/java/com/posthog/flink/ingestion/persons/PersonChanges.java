package com.posthog.flink.ingestion.persons;

/**
 * What changed about persons, for the ClickHouse {@code person} and {@code person_distinct_id}
 * tables (spec §3.7, §3.9), in the order it happened.
 */
public interface PersonChanges {

    void person(long teamId, PersonState person, boolean deleted);

    /** A distinct id now belongs to a person ({@code deleted = false}) or no longer does. */
    void distinctId(long teamId, String distinctId, String personUuid, boolean deleted);

    PersonChanges NONE =
            new PersonChanges() {
                @Override
                public void person(long teamId, PersonState person, boolean deleted) {}

                @Override
                public void distinctId(
                        long teamId, String distinctId, String personUuid, boolean deleted) {}
            };
}
