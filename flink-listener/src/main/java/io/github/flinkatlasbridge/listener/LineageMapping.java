package io.github.flinkatlasbridge.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.lineage.DatasetSchemaFacet;
import org.apache.flink.streaming.api.lineage.DatasetSchemaField;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageGraph;
import org.apache.flink.streaming.api.lineage.LineageVertex;

/**
 * A Flink 2 {@link LineageGraph} as the contract's {@code lineage}: each dataset's namespace and name as Flink gives
 * them, its schema facet as {@code schema.fields}, and for a Flink SQL table a TABLE symlink
 * ({@code catalog.database.table}). Config facets are never sent: they hold connector and Kafka client
 * properties, SASL JAAS lines among them, and the contract has no place for them.
 */
public final class LineageMapping {
  private LineageMapping() {}

  static final int MAX_DATASETS = 1000;
  static final int MAX_NAME_CHARS = 2000;
  static final int MAX_FIELDS = 5000;

  public static Map<String, Object> lineageOf(LineageGraph graph) {
    if (graph == null) return null;
    return NativeEvents.lineage(datasetsOf(graph.sources()), datasetsOf(graph.sinks()));
  }

  static List<Map<String, Object>> datasetsOf(List<? extends LineageVertex> vertices) {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    if (vertices == null) return new ArrayList<>();
    for (LineageVertex vertex : vertices) {
      if (vertex == null || vertex.datasets() == null) continue;
      for (LineageDataset dataset : vertex.datasets()) {
        Map<String, Object> mapped = datasetOf(dataset);
        if (mapped == null || byName.size() >= MAX_DATASETS) continue;
        byName.putIfAbsent(mapped.get("namespace") + "\n" + mapped.get("name"), mapped);
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** One dataset, or null when it names nothing the bridge can store (no namespace and no table). */
  static Map<String, Object> datasetOf(LineageDataset dataset) {
    if (dataset == null) return null;
    TableIdentity table = TableIdentity.of(dataset);
    String namespace = blankToNull(dataset.namespace());
    String name = blankToNull(dataset.name());
    if (namespace == null && table != null) {
      // A Flink SQL table whose connector reports no dataset (datagen, blackhole, print): named by its connector,
      // so the job still links to the table through the symlink.
      namespace = table.connector;
    }
    if (namespace == null || name == null) return null;
    namespace = Redaction.redactValue(namespace);
    name = Redaction.redactValue(name);
    if (namespace.length() > MAX_NAME_CHARS || name.length() > MAX_NAME_CHARS) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("namespace", namespace);
    out.put("name", name);
    List<Map<String, Object>> fields = schemaFields(dataset.facets());
    if (fields != null && !fields.isEmpty()) {
      Map<String, Object> schema = new LinkedHashMap<>();
      schema.put("fields", fields);
      out.put("schema", schema);
    }
    if (table != null) {
      Map<String, Object> symlink = new LinkedHashMap<>();
      symlink.put("namespace", namespace);
      symlink.put("name", table.path);
      symlink.put("type", "TABLE");
      List<Object> symlinks = new ArrayList<>();
      symlinks.add(symlink);
      out.put("symlinks", symlinks);
    }
    return out;
  }

  private static List<Map<String, Object>> schemaFields(Map<String, LineageDatasetFacet> facets) {
    if (facets == null) return null;
    for (LineageDatasetFacet facet : facets.values()) {
      if (!(facet instanceof DatasetSchemaFacet)) continue;
      Map<String, ? extends DatasetSchemaField<?>> fields = ((DatasetSchemaFacet) facet).fields();
      if (fields == null) continue;
      List<Map<String, Object>> out = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (Map.Entry<String, ? extends DatasetSchemaField<?>> e : fields.entrySet()) {
        String fieldName = e.getValue() != null && e.getValue().name() != null ? e.getValue().name() : e.getKey();
        if (fieldName == null || fieldName.isEmpty() || fieldName.length() > 1000 || !seen.add(fieldName) || out.size() >= MAX_FIELDS) continue;
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("name", fieldName);
        Object type = e.getValue() == null ? null : e.getValue().type();
        if (type != null) field.put("type", NativeEvents.truncate(type.toString(), 1000));
        out.add(field);
      }
      return out;
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s;
  }

  /**
   * The Flink SQL table a dataset stands for. The planner's TableLineageDataset lives in the planner's own class
   * loader (flink-table-planner-loader), so it is read through its public methods by name.
   */
  static final class TableIdentity {
    final String path;
    final String connector;

    private TableIdentity(String path, String connector) {
      this.path = path;
      this.connector = connector;
    }

    static TableIdentity of(LineageDataset dataset) {
      try {
        Object objectPath = call(dataset, "objectPath");
        Object context = call(dataset, "catalogContext");
        if (objectPath == null || context == null) return null;
        String catalog = (String) call(context, "getCatalogName");
        String fullName = (String) call(objectPath, "getFullName");
        if (catalog == null || fullName == null) return null;
        String connector = null;
        Object table = call(dataset, "table");
        if (table != null) {
          @SuppressWarnings("unchecked")
          Map<String, String> options = (Map<String, String>) call(table, "getOptions");
          if (options != null) connector = blankToNull(options.get("connector"));
        }
        return new TableIdentity(catalog + "." + fullName, connector);
      } catch (ReflectiveOperationException | ClassCastException e) {
        return null;
      }
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
      Method m = findPublic(target.getClass(), method);
      return m == null ? null : m.invoke(target);
    }

    private static Method findPublic(Class<?> type, String name) {
      // Through the public interface, as the implementing class itself may not be accessible.
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Class<?> i : c.getInterfaces()) {
          Method m = interfaceMethod(i, name);
          if (m != null) return m;
        }
      }
      try {
        Method m = type.getMethod(name);
        return java.lang.reflect.Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
      } catch (NoSuchMethodException e) {
        return null;
      }
    }

    private static Method interfaceMethod(Class<?> iface, String name) {
      try {
        if (java.lang.reflect.Modifier.isPublic(iface.getModifiers())) return iface.getMethod(name);
      } catch (NoSuchMethodException e) {
        // not on this interface
      }
      for (Class<?> parent : iface.getInterfaces()) {
        Method m = interfaceMethod(parent, name);
        if (m != null) return m;
      }
      return null;
    }
  }
}
