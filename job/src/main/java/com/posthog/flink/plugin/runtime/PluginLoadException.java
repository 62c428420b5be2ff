package com.posthog.flink.plugin.runtime;

/**
 * A plugin could not be loaded: a syntax error, a forbidden import, top-level code that threw or
 * ran out of time, an invalid metric type. The message is what goes to the plugin's error and log
 * (spec §1.5).
 */
public class PluginLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message) {
        super(message);
    }
}
