package io.github.flinkatlasbridge.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.CatalogView;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.catalog.WatermarkSpec;
import org.apache.flink.table.catalog.listener.AlterDatabaseEvent;
import org.apache.flink.table.catalog.listener.AlterTableEvent;
import org.apache.flink.table.catalog.listener.CatalogContext;
import org.apache.flink.table.catalog.listener.CatalogModificationEvent;
import org.apache.flink.table.catalog.listener.CreateDatabaseEvent;
import org.apache.flink.table.catalog.listener.CreateTableEvent;
import org.apache.flink.table.catalog.listener.DatabaseModificationEvent;
import org.apache.flink.table.catalog.listener.DropDatabaseEvent;
import org.apache.flink.table.catalog.listener.DropTableEvent;
import org.apache.flink.table.catalog.listener.TableModificationEvent;

/**
 * Flink's catalog modification events as the contract's {@code catalog.table} and {@code catalog.database}, with
 * the names of Flink's getters. Options, database properties and view SQL are redacted here, before serialisation.
 * Only APIs that Flink 1.20 and 2.x share are used. Model events (Flink 2) are not part of the contract: null.
 */
public final class CatalogEvents {
  private CatalogEvents() {}

  public static Map<String, Object> map(CatalogModificationEvent event, String cluster, long now) {
    if (event instanceof TableModificationEvent) return table((TableModificationEvent) event, cluster, now);
    if (event instanceof DatabaseModificationEvent) return database((DatabaseModificationEvent) event, cluster, now);
    return null;
  }

  static Map<String, Object> table(TableModificationEvent event, String cluster, long now) {
    Map<String, Object> out = NativeEvents.envelope("catalog.table", cluster, now);
    CatalogBaseTable definition;
    if (event instanceof CreateTableEvent) {
      out.put("action", "CREATE");
      definition = event.table();
    } else if (event instanceof AlterTableEvent) {
      out.put("action", "ALTER");
      definition = ((AlterTableEvent) event).newTable();
    } else if (event instanceof DropTableEvent) {
      out.put("action", "DROP");
      definition = droppedTable(event);
    } else {
      return null;
    }
    NativeEvents.putIfPresent(out, "catalog", catalogOf(event.context()));
    ObjectIdentifier id = event.identifier();
    Map<String, Object> identifier = new LinkedHashMap<>();
    identifier.put("catalogName", id.getCatalogName());
    identifier.put("databaseName", id.getDatabaseName());
    identifier.put("objectName", id.getObjectName());
    out.put("identifier", identifier);
    out.put("temporary", event.isTemporary());
    if (event instanceof CreateTableEvent) out.put("ignoreIfExists", ((CreateTableEvent) event).ignoreIfExists());
    if (event instanceof AlterTableEvent) out.put("ignoreIfNotExists", ((AlterTableEvent) event).ignoreIfNotExists());
    if (event instanceof DropTableEvent) out.put("ignoreIfNotExists", ((DropTableEvent) event).ignoreIfNotExists());
    if (definition != null) out.put("table", definitionOf(definition));
    return out;
  }

  /** The dropped table's definition when Flink still had it (null for IF EXISTS of a missing table). */
  private static CatalogBaseTable droppedTable(TableModificationEvent event) {
    try {
      return event.table();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static Map<String, Object> definitionOf(CatalogBaseTable table) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tableKind", table.getTableKind().name());
    NativeEvents.putIfPresent(out, "comment", emptyToNull(table.getComment()));
    ResolvedSchema schema = table instanceof ResolvedCatalogBaseTable ? ((ResolvedCatalogBaseTable<?>) table).getResolvedSchema() : null;
    out.put("schema", schemaOf(schema));
    CatalogBaseTable origin = table instanceof ResolvedCatalogBaseTable ? ((ResolvedCatalogBaseTable<?>) table).getOrigin() : table;
    if (table instanceof CatalogTable && ((CatalogTable) table).isPartitioned()) {
      out.put("partitionKeys", new ArrayList<>(((CatalogTable) table).getPartitionKeys()));
    }
    Map<String, String> options = table.getOptions();
    if (options != null && !options.isEmpty()) out.put("options", Redaction.redactOptions(options));
    CatalogView view = table instanceof CatalogView ? (CatalogView) table : origin instanceof CatalogView ? (CatalogView) origin : null;
    if (view != null) {
      NativeEvents.putIfPresent(out, "originalQuery", Redaction.redactSql(view.getOriginalQuery()));
      NativeEvents.putIfPresent(out, "expandedQuery", Redaction.redactSql(view.getExpandedQuery()));
    }
    return out;
  }

  static Map<String, Object> schemaOf(ResolvedSchema schema) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> columns = new ArrayList<>();
    out.put("columns", columns);
    if (schema == null) return out;
    for (Column column : schema.getColumns()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", column.getName());
      c.put("dataType", column.getDataType().toString());
      column.getComment().ifPresent(comment -> c.put("comment", comment));
      if (column instanceof Column.ComputedColumn) {
        c.put("kind", "COMPUTED");
        c.put("expression", ((Column.ComputedColumn) column).getExpression().asSerializableString());
      } else if (column instanceof Column.MetadataColumn) {
        Column.MetadataColumn metadata = (Column.MetadataColumn) column;
        c.put("kind", "METADATA");
        metadata.getMetadataKey().ifPresent(key -> c.put("metadataKey", key));
        c.put("virtual", metadata.isVirtual());
      } else {
        c.put("kind", "PHYSICAL");
      }
      columns.add(c);
    }
    Optional<UniqueConstraint> primaryKey = schema.getPrimaryKey();
    if (primaryKey.isPresent() && !primaryKey.get().getColumns().isEmpty()) {
      Map<String, Object> pk = new LinkedHashMap<>();
      pk.put("name", primaryKey.get().getName());
      pk.put("columns", new ArrayList<>(primaryKey.get().getColumns()));
      out.put("primaryKey", pk);
    }
    List<Map<String, Object>> watermarks = new ArrayList<>();
    for (WatermarkSpec spec : schema.getWatermarkSpecs()) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("rowtimeAttribute", spec.getRowtimeAttribute());
      w.put("expression", spec.getWatermarkExpression().asSerializableString());
      watermarks.add(w);
    }
    if (!watermarks.isEmpty()) out.put("watermarkSpecs", watermarks);
    return out;
  }

  static Map<String, Object> database(DatabaseModificationEvent event, String cluster, long now) {
    Map<String, Object> out = NativeEvents.envelope("catalog.database", cluster, now);
    CatalogDatabase definition;
    if (event instanceof CreateDatabaseEvent) {
      out.put("action", "CREATE");
      definition = event.database();
    } else if (event instanceof AlterDatabaseEvent) {
      out.put("action", "ALTER");
      definition = ((AlterDatabaseEvent) event).newDatabase();
    } else if (event instanceof DropDatabaseEvent) {
      out.put("action", "DROP");
      definition = null; // DropDatabaseEvent.database() throws: the event carries only the name
    } else {
      return null;
    }
    NativeEvents.putIfPresent(out, "catalog", catalogOf(event.context()));
    out.put("catalogName", event.context().getCatalogName());
    out.put("databaseName", event.databaseName());
    if (event instanceof CreateDatabaseEvent) out.put("ignoreIfExists", ((CreateDatabaseEvent) event).ignoreIfExists());
    if (event instanceof AlterDatabaseEvent) out.put("ignoreIfNotExists", ((AlterDatabaseEvent) event).ignoreIfNotExists());
    if (event instanceof DropDatabaseEvent) {
      out.put("ignoreIfNotExists", ((DropDatabaseEvent) event).ignoreIfNotExists());
      out.put("cascade", ((DropDatabaseEvent) event).cascade());
    }
    if (definition != null) {
      Map<String, Object> db = new LinkedHashMap<>();
      NativeEvents.putIfPresent(db, "comment", emptyToNull(definition.getComment()));
      if (definition.getProperties() != null && !definition.getProperties().isEmpty()) {
        db.put("properties", Redaction.redactOptions(definition.getProperties()));
      }
      out.put("database", db);
    }
    return out;
  }

  private static Map<String, Object> catalogOf(CatalogContext context) {
    if (context == null) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    context.getFactoryIdentifier().ifPresent(id -> out.put("factoryIdentifier", id));
    if (context.getClazz() != null) out.put("className", context.getClazz().getName());
    return out.isEmpty() ? null : out;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
