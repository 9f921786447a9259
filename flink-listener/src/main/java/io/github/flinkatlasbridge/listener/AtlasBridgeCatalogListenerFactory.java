package io.github.flinkatlasbridge.listener;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.flink.table.catalog.listener.CatalogModificationListener;
import org.apache.flink.table.catalog.listener.CatalogModificationListenerFactory;

/**
 * {@code table.catalog-modification.listeners: atlas-bridge} (Flink 1.18+, found through
 * META-INF/services/org.apache.flink.table.factories.Factory): every CREATE, ALTER and DROP of a table, view or
 * database as {@code catalog.table} / {@code catalog.database}, through the JVM's shared sender.
 */
public final class AtlasBridgeCatalogListenerFactory implements CatalogModificationListenerFactory {
  public static final String IDENTIFIER = "atlas-bridge";
  private static final Logger LOG = Logger.getLogger(AtlasBridgeCatalogListenerFactory.class.getName());

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public CatalogModificationListener createListener(Context context) {
    Map<String, String> conf = context.getConfiguration().toMap();
    if (!BridgeConfig.isConfigured(conf)) {
      LOG.warning("atlas-bridge: " + BridgeConfig.URL + " is not set; the catalog listener sends nothing");
      return event -> {};
    }
    BridgeConfig config = BridgeConfig.from(conf);
    EventSender sender = EventSender.shared(config);
    return event -> {
      try {
        Map<String, Object> mapped = CatalogEvents.map(event, config.cluster, System.currentTimeMillis());
        if (mapped != null) sender.offer(mapped);
      } catch (RuntimeException | LinkageError e) {
        // A listener must never fail the DDL statement.
        LOG.log(Level.WARNING, "atlas-bridge: could not map a catalog event", e);
      }
    };
  }
}
