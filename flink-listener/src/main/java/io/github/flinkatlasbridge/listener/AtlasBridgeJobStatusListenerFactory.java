package io.github.flinkatlasbridge.listener;

import java.util.logging.Logger;
import org.apache.flink.core.execution.JobStatusChangedListener;
import org.apache.flink.core.execution.JobStatusChangedListenerFactory;

/**
 * {@code execution.job-status-changed-listeners: io.github.flinkatlasbridge.listener.AtlasBridgeJobStatusListenerFactory}
 * (Flink 2.x). Flink creates one listener on the client side (it sees the JobCreatedEvent with the lineage graph)
 * and one on the JobManager (it sees every status change); in one JVM both share one {@link EventSender}.
 */
public final class AtlasBridgeJobStatusListenerFactory implements JobStatusChangedListenerFactory {
  private static final Logger LOG = Logger.getLogger(AtlasBridgeJobStatusListenerFactory.class.getName());

  @Override
  public JobStatusChangedListener createListener(Context context) {
    java.util.Map<String, String> conf = context.getConfiguration().toMap();
    JobNames.statusListenerInJvm = true;
    if (!BridgeConfig.isConfigured(conf)) {
      LOG.warning("atlas-bridge: " + BridgeConfig.URL + " is not set; the job status listener sends nothing");
      return event -> {};
    }
    BridgeConfig config = BridgeConfig.from(conf);
    return new AtlasBridgeJobStatusListener(EventSender.shared(config), config);
  }
}
