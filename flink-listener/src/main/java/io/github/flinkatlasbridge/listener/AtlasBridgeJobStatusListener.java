package io.github.flinkatlasbridge.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobExecutionStatusEvent;
import org.apache.flink.core.execution.JobStatusChangedEvent;
import org.apache.flink.core.execution.JobStatusChangedListener;
import org.apache.flink.streaming.runtime.execution.JobCreatedEvent;

/**
 * Turns Flink 2's job status events into {@code job.status}: the JobCreatedEvent (client side) with the lineage
 * graph and execution mode, each JobExecutionStatusEvent (JobManager side) with the previous status, the time it
 * was seen (Flink's events carry none) and the error. Only maps and queues: it never blocks the calling thread.
 */
final class AtlasBridgeJobStatusListener implements JobStatusChangedListener {
  private static final Logger LOG = Logger.getLogger(AtlasBridgeJobStatusListener.class.getName());

  private final EventSender sender;
  private final BridgeConfig config;
  // Before any submission through this instance: a JobCreatedEvent stamped with it never outranks the
  // JobManager's later status changes, whose time is taken when they happen.
  private final long createdAtMillis = System.currentTimeMillis();
  private final Map<String, Long> firstSeenMillis = new ConcurrentHashMap<>();

  AtlasBridgeJobStatusListener(EventSender sender, BridgeConfig config) {
    this.sender = sender;
    this.config = config;
  }

  @Override
  public void onEvent(JobStatusChangedEvent event) {
    try {
      Map<String, Object> mapped = map(event, System.currentTimeMillis());
      if (mapped != null) sender.offer(mapped);
    } catch (RuntimeException | LinkageError e) {
      // A listener must never fail the job or the JobManager.
      LOG.log(Level.WARNING, "atlas-bridge: could not map a job status event of job " + event.jobId(), e);
    }
  }

  Map<String, Object> map(JobStatusChangedEvent event, long now) {
    String jobId = event.jobId().toHexString();
    String name = event.jobName();
    if (name == null || name.isEmpty()) name = JobNames.nameOf(jobId);
    if (name == null) return null;
    if (event instanceof JobCreatedEvent) {
      JobCreatedEvent created = (JobCreatedEvent) event;
      JobNames.remember(jobId, name);
      long at = Math.min(createdAtMillis, now);
      return NativeEvents.jobStatus(config.cluster, at, jobId, name, JobStatus.INITIALIZING.name(), null,
          modeOf(created.executionMode()), null, null, LineageMapping.lineageOf(created.lineageGraph()), null);
    }
    if (event instanceof JobExecutionStatusEvent) {
      JobExecutionStatusEvent status = (JobExecutionStatusEvent) event;
      JobNames.remember(jobId, name);
      JobStatus newStatus = status.newStatus();
      JobStatus oldStatus = status.oldStatus();
      Long startTime = null;
      if (oldStatus == JobStatus.CREATED || oldStatus == JobStatus.INITIALIZING) {
        startTime = firstSeenMillis.computeIfAbsent(jobId, k -> now);
      }
      Long endTime = newStatus.isGloballyTerminalState() ? now : null;
      if (newStatus.isGloballyTerminalState()) firstSeenMillis.remove(jobId);
      return NativeEvents.jobStatus(config.cluster, now, jobId, name, newStatus.name(), oldStatus == null ? null : oldStatus.name(),
          null, startTime, endTime, null, NativeEvents.error(status.exception(), config.stackTraceMaxChars));
    }
    return null;
  }

  static String modeOf(RuntimeExecutionMode mode) {
    // AUTOMATIC is resolved by Flink later; the contract knows only STREAMING and BATCH.
    return mode == RuntimeExecutionMode.STREAMING || mode == RuntimeExecutionMode.BATCH ? mode.name() : null;
  }
}
