package com.posthog.flink.plugin;

/**
 * The export buffer of one plugin config in keyed state (spec §2.5): the events themselves are
 * entries {@code "<config id>:<sequence>"} of a map state, so a flush reads them once in order and
 * an append writes one entry.
 */
public class ExportBuffer {

    /** The sequence number of the first buffered event. */
    public long first;

    public int count;

    /** {@code JSON.stringify(event).length} summed, as the original weighed events. */
    public long bytes;

    /** When the first event of the batch came; the batch is flushed this long after it. */
    public long since;

    public ExportBuffer() {}
}
