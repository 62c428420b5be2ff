package com.posthog.flink.event;

/**
 * A row of ClickHouse {@code person_distinct_id}: a distinct id now belongs to a person ({@code
 * sign = 1}) or no longer does ({@code sign = -1}).
 */
public class DistinctIdRow {

    public String distinctId;
    public String personUuid;
    public long teamId;
    public int sign;

    public DistinctIdRow() {}

    public DistinctIdRow(String distinctId, String personUuid, long teamId, int sign) {
        this.distinctId = distinctId;
        this.personUuid = personUuid;
        this.teamId = teamId;
        this.sign = sign;
    }
}
