package io.github.flinkatlasbridge.listener;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;

/**
 * {@code execution.job-listeners: io.github.flinkatlasbridge.listener.AtlasBridgeJobListener} (client side, Flink
 * 1.20 and 2.x): {@code job.result} with the net runtime and accumulators when an attached job ends, a FAILED
 * {@code job.status} when a submission fails, and, when no AtlasBridgeJobStatusListenerFactory runs in this JVM
 * (Flink 1.20 has none), each status change as the client sees it through the JobClient.
 *
 * <p>Flink instantiates it with no argument and passes no configuration: the settings come from the Flink
 * configuration file (GlobalConfiguration), system properties or the environment, else it shares the sender a
 * factory of this jar configured in this JVM.
 */
public final class AtlasBridgeJobListener implements JobListener {
  private static final Logger LOG = Logger.getLogger(AtlasBridgeJobListener.class.getName());
  private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "atlas-bridge-status-poller");
    t.setDaemon(true);
    return t;
  });

  private final Map<String, String> configuration;
  private volatile EventSender sender;
  /** The jobs this listener follows, by JobID, until their onJobExecuted. */
  private final Map<String, StatusTracker> following = new ConcurrentHashMap<>();
  private volatile boolean warnedUnconfigured;

  public AtlasBridgeJobListener() {
    this(globalConfiguration());
  }

  /** For {@code env.registerJobListener(new AtlasBridgeJobListener(env.getConfiguration().toMap()))}. */
  public AtlasBridgeJobListener(Map<String, String> configuration) {
    this.configuration = configuration;
  }

  @Override
  public void onJobSubmitted(JobClient jobClient, Throwable throwable) {
    try {
      if (throwable != null) {
        submissionFailed(throwable);
      } else if (jobClient != null && !JobNames.statusListenerInJvm) {
        Optional<EventSender> target = sender();
        if (target.isPresent()) {
          StatusTracker tracker = new StatusTracker(target.get(), jobClient);
          following.put(tracker.jobId, tracker);
          tracker.start();
        }
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "atlas-bridge: could not report a job submission", e);
    }
  }

  @Override
  public void onJobExecuted(JobExecutionResult result, Throwable throwable) {
    try {
      Optional<EventSender> target = sender();
      if (!target.isPresent()) return;
      // The job has ended: its follower's last report is let finish first, bounded, since a client such as
      // `flink run` exits right after execute() and would take the follower's daemon thread with it (a short job in a
      // Flink 1.20 session, where the client is the only source of statuses, reached Atlas with none).
      JobID endedJob = result != null ? result.getJobID() : throwable == null ? null : jobIdIn(throwable);
      StatusTracker tracker = endedJob == null ? null : following.remove(endedJob.toHexString());
      if (tracker != null) tracker.awaitEnd(target.get().config().closeTimeout);
      if (result == null) return; // a failed or cancelled attached job: the status events tell it
      String jobId = endedJob.toHexString();
      String name = nameOf(jobId, tracker == null ? null : tracker.client);
      if (name == null) {
        LOG.warning("atlas-bridge: no job name known for job " + jobId + "; its job.result is not sent");
        return;
      }
      Map<String, Object> accumulators = result.getAllAccumulatorResults();
      target.get().offer(NativeEvents.jobResult(target.get().config().cluster, System.currentTimeMillis(), jobId, name,
          result.getNetRuntime(), accumulators == null ? Collections.emptyMap() : accumulators));
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "atlas-bridge: could not report a job result", e);
    }
  }

  private void submissionFailed(Throwable throwable) {
    Optional<EventSender> target = sender();
    if (!target.isPresent()) return;
    JobID jobId = jobIdIn(throwable);
    String name = jobId == null ? null : nameOf(jobId.toHexString(), null);
    if (jobId == null || name == null) {
      LOG.warning("atlas-bridge: a job submission failed before Flink named the job (" + throwable + "); nothing is sent");
      return;
    }
    BridgeConfig config = target.get().config();
    long now = System.currentTimeMillis();
    target.get().offer(NativeEvents.jobStatus(config.cluster, now, jobId.toHexString(), name, JobStatus.FAILED.name(), null, null,
        null, now, null, NativeEvents.error(throwable, config.stackTraceMaxChars)));
  }

  /** JobSubmissionException (and every JobExecutionException) carries the JobID; found by name, not by type. */
  static JobID jobIdIn(Throwable throwable) {
    for (Throwable t = throwable; t != null; t = t.getCause() == t ? null : t.getCause()) {
      try {
        Method getter = t.getClass().getMethod("getJobID");
        Object id = getter.invoke(t);
        if (id instanceof JobID) return (JobID) id;
      } catch (ReflectiveOperationException e) {
        // not an exception that names its job
      }
    }
    return null;
  }

  private String nameOf(String jobId, JobClient client) {
    String name = JobNames.nameOf(jobId);
    if (name == null && client != null) name = FlinkJobNameLookup.nameOf(client);
    if (name == null) name = configuration.get("pipeline.name");
    if (name != null) JobNames.remember(jobId, name);
    return name;
  }

  private Optional<EventSender> sender() {
    if (sender != null) return Optional.of(sender);
    synchronized (this) {
      if (sender != null) return Optional.of(sender);
      if (BridgeConfig.isConfigured(configuration)) {
        sender = EventSender.shared(BridgeConfig.from(configuration));
        return Optional.of(sender);
      }
      Optional<EventSender> shared = EventSender.lastShared();
      if (!shared.isPresent() && !warnedUnconfigured) {
        warnedUnconfigured = true;
        LOG.warning("atlas-bridge: " + BridgeConfig.URL + " is not set in the Flink configuration file, the system "
            + "properties or ATLAS_BRIDGE_URL; the job listener sends nothing");
      }
      return shared;
    }
  }

  private static Map<String, String> globalConfiguration() {
    try {
      return GlobalConfiguration.loadConfiguration().toMap();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "atlas-bridge: no Flink configuration file to read", e);
      return new LinkedHashMap<>();
    }
  }

  /**
   * Follows one job through its JobClient: its status polled until globally terminal, and its end taken from the
   * JobClient's execution result, which completes even when a per-job cluster shuts down before a last poll.
   */
  private final class StatusTracker {
    private final EventSender target;
    private final JobClient client;
    private final String jobId;
    private JobStatus last;
    private Long startTime;
    private int failures;
    private boolean ended;
    private final CompletableFuture<Void> endReported = new CompletableFuture<>();

    StatusTracker(EventSender target, JobClient client) {
      this.target = target;
      this.client = client;
      this.jobId = client.getJobID().toHexString();
    }

    void start() {
      POLLER.execute(() -> {
        nameOf(jobId, client); // while the cluster still knows the job
        client.getJobExecutionResult().whenComplete((result, error) -> POLLER.execute(() -> end(error)));
        poll();
      });
    }

    private void schedule(long delayMillis) {
      POLLER.schedule(this::poll, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
      if (ended) return;
      long interval = target.config().statusPollInterval.toMillis();
      client.getJobStatus().whenComplete((status, error) -> POLLER.execute(() -> {
        if (ended) return;
        if (error != null) {
          // The cluster forgets a finished job (a MiniCluster that shut down): the execution result tells the end.
          if (++failures < 5) schedule(interval);
          return;
        }
        failures = 0;
        if (status.isGloballyTerminalState()) return; // reported by end(), with the error
        if (status != last) report(status, null);
        schedule(interval);
      }));
    }

    /** Waits at most {@code bound} for the job's end to be offered to the sender. */
    void awaitEnd(java.time.Duration bound) {
      try {
        endReported.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        LOG.warning("atlas-bridge: the end of job " + jobId + " was not reported within " + bound);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void end(Throwable error) {
      if (ended) return;
      ended = true;
      try {
        reportEnd(error);
      } finally {
        following.remove(jobId, this);
        endReported.complete(null);
      }
    }

    private void reportEnd(Throwable error) {
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause == null) {
        report(JobStatus.FINISHED, null);
      } else {
        boolean cancelled = String.valueOf(cause).contains("cancel") || cause instanceof java.util.concurrent.CancellationException;
        report(cancelled ? JobStatus.CANCELED : JobStatus.FAILED, cancelled ? null : rootOf(cause));
      }
    }

    private void report(JobStatus status, Throwable error) {
      String name = nameOf(jobId, client);
      if (name == null) return;
      long now = System.currentTimeMillis();
      if (startTime == null && status == JobStatus.RUNNING) startTime = now;
      BridgeConfig config = target.config();
      target.offer(NativeEvents.jobStatus(config.cluster, now, jobId, name, status.name(), last == null ? null : last.name(), null,
          startTime, status.isGloballyTerminalState() ? now : null, null, NativeEvents.error(error, config.stackTraceMaxChars)));
      last = status;
    }
  }

  /** JobExecutionException("Job execution failed.") wraps the job's own exception. */
  private static Throwable rootOf(Throwable t) {
    return t.getCause() != null && t.getClass().getName().endsWith("JobExecutionException") ? t.getCause() : t;
  }

}
