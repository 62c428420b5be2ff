package com.posthog.flink.plugin.runtime;

import java.util.List;

/**
 * A plugin function threw, its promise rejected, or the runtime cancelled it ({@code TimeoutError},
 * {@code MemoryLimitError}). Carries what spec §2.8 records: the JavaScript error's name, message
 * and stack, and the arguments as the plugin left them, since the {@code processEvent} chain keeps
 * a failing plugin's in-place changes (spec §2.2).
 */
public class PluginCallException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Name of a call cancelled for running longer than its timeout. */
    public static final String TIMEOUT = "TimeoutError";

    /** Name of a call cancelled for allocating more than the memory limit. */
    public static final String MEMORY_LIMIT = "MemoryLimitError";

    private final String errorName;
    private final String stack;
    private final List<String> argumentsAfterJson;

    /**
     * @param errorName the error's {@code name} ({@code Error}, {@code TypeError}, {@code
     *     RetryError}, …), or null when the plugin threw something that is not an error object (a
     *     string, a number), whose text is then the message
     * @param stack the JavaScript stack, or null
     * @param argumentsAfterJson for {@code processEvent}, each argument re-serialised after the
     *     throw (empty for other methods), or null when unknown (the call was cancelled)
     */
    public PluginCallException(
            String errorName, String message, String stack, List<String> argumentsAfterJson) {
        super(message);
        this.errorName = errorName;
        this.stack = stack;
        this.argumentsAfterJson = argumentsAfterJson;
    }

    public String errorName() {
        return errorName;
    }

    public String stack() {
        return stack;
    }

    public List<String> argumentsAfterJson() {
        return argumentsAfterJson;
    }
}
