package com.posthog.flink.plugin.runtime;

import java.io.IOException;

/**
 * A failed {@link PluginServices#fetch}, which the plugin sees as node-fetch's {@code FetchError}:
 * this message, {@code type}, and {@code code}/{@code errno} when there is one.
 */
public final class FetchException extends IOException {

    private final String type;
    private final String code;

    /**
     * @param message the whole message, as node-fetch words it ({@code request to <url> failed,
     *     reason: <reason>}, {@code network timeout at: <url>}, ...)
     * @param type node-fetch's type: {@code system}, {@code request-timeout}, {@code max-size},
     *     {@code max-redirect}, {@code no-redirect}, ...
     * @param code the Node system error code ({@code ECONNREFUSED}, {@code ENOTFOUND}, ...) or null
     */
    public FetchException(String message, String type, String code) {
        super(message);
        this.type = type;
        this.code = code;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }
}
