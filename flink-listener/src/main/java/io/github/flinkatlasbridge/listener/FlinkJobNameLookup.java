package io.github.flinkatlasbridge.listener;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/**
 * The name of a submitted job where no JobCreatedEvent told it (Flink 1.20 has none): asked of the cluster the
 * JobClient talks to, through public methods found by name, since JobClient itself has no getter for it.
 * MiniClusterJobClient: {@code MiniCluster.getExecutionGraph(JobID).getJobName()}; a REST client adapter:
 * {@code RestClusterClient.getJobDetails(JobID).getName()}. Null when neither answers.
 */
final class FlinkJobNameLookup {
  private FlinkJobNameLookup() {}

  static String nameOf(JobClient client) {
    try {
      Object cluster = field(client, "miniCluster");
      if (cluster != null) {
        Object graph = await(invoke(cluster, "getExecutionGraph", client.getJobID()));
        Object name = graph == null ? null : invoke(graph, "getJobName");
        if (name instanceof String) return (String) name;
      }
      Object provider = field(client, "clusterClientProvider");
      if (provider != null) {
        Object clusterClient = invoke(provider, "getClusterClient");
        Object details = clusterClient == null ? null : await(invoke(clusterClient, "getJobDetails", client.getJobID()));
        Object name = details == null ? null : invoke(details, "getName");
        if (name instanceof String) return (String) name;
      }
    } catch (Exception | LinkageError e) {
      return null;
    }
    return null;
  }

  private static Object field(Object target, String name) throws IllegalAccessException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    return null;
  }

  private static Object invoke(Object target, String name, Object... args) throws ReflectiveOperationException {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        m.setAccessible(true);
        return m.invoke(target, args);
      }
    }
    return null;
  }

  private static Object await(Object maybeFuture) throws Exception {
    return maybeFuture instanceof CompletableFuture ? ((CompletableFuture<?>) maybeFuture).get(5, TimeUnit.SECONDS) : maybeFuture;
  }
}
