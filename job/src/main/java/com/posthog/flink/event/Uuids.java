package com.posthog.flink.event;

import java.util.regex.Pattern;

/** The event uuid check of spec §3.5 step 0. */
public final class Uuids {

    private static final Pattern UUID =
            Pattern.compile(
                    "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$",
                    Pattern.CASE_INSENSITIVE);

    private Uuids() {}

    public static boolean isValid(String uuid) {
        return uuid != null && UUID.matcher(uuid).matches();
    }
}
