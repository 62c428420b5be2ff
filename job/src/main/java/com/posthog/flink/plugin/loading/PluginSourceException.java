package com.posthog.flink.plugin.loading;

/**
 * A plugin's code could not be obtained (spec §1.2). The message is the original's, so that what
 * lands in {@code posthog_pluginconfig.error} and the plugin log reads the same.
 */
public class PluginSourceException extends Exception {

    private static final long serialVersionUID = 1L;

    public PluginSourceException(String message) {
        super(message);
    }
}
