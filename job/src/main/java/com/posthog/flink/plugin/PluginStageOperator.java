package com.posthog.flink.plugin;

import com.posthog.flink.event.PipelineEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * The plugin stage's operator: a {@link KeyedProcessOperator} that also hears the end of a bounded
 * input, and then flushes every team's export buffers (CONTRACTS.md: processing-time timers do not
 * fire after the end of a bounded input).
 */
public final class PluginStageOperator
        extends KeyedProcessOperator<Long, PipelineEvent, PipelineEvent>
        implements BoundedOneInput {

    private static final long serialVersionUID = 1L;

    public PluginStageOperator(PluginStage stage) {
        super(stage);
    }

    @Override
    public void endInput() throws Exception {
        List<Long> teams = new ArrayList<>();
        this.<Long>getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        PluginStage.EXPORT_BUFFERS,
                        (team, buffers) -> {
                            if (buffers.keys().iterator().hasNext()) {
                                teams.add(team);
                            }
                        });
        for (Long team : teams) {
            setCurrentKey(team);
            ((PluginStage) userFunction).flushExportsAtEndOfInput(output);
        }
    }
}
