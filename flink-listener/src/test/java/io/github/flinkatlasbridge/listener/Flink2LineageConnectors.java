package io.github.flinkatlasbridge.listener;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.lineage.DatasetConfigFacet;
import org.apache.flink.streaming.api.lineage.DatasetSchemaFacet;
import org.apache.flink.streaming.api.lineage.DatasetSchemaField;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.flink.streaming.api.lineage.SourceLineageVertex;

/**
 * A source and a sink that report lineage as Flink 2's Kafka connector does: a kafka:// namespace, the topic as
 * name, a schema facet, and a config facet holding Kafka client properties with a SASL JAAS secret, which must
 * never reach the bridge.
 */
final class Flink2LineageConnectors {
  private Flink2LineageConnectors() {}

  static final String BROKER = "kafka://broker-1:9092";
  static final String JAAS_SECRET = "kafka-jaas-secret-do-not-leak";

  static LineageDataset dataset(String namespace, String name, String... fieldNamesAndTypes) {
    Map<String, LineageDatasetFacet> facets = new LinkedHashMap<>();
    Map<String, DatasetSchemaField<String>> fields = new LinkedHashMap<>();
    for (int i = 0; i < fieldNamesAndTypes.length; i += 2) {
      String fieldName = fieldNamesAndTypes[i];
      String type = fieldNamesAndTypes[i + 1];
      fields.put(fieldName, new DatasetSchemaField<String>() {
        @Override public String name() { return fieldName; }
        @Override public String type() { return type; }
      });
    }
    facets.put("schema", new DatasetSchemaFacet() {
      @Override public String name() { return "schema"; }
      @SuppressWarnings("unchecked")
      @Override public <T> Map<String, DatasetSchemaField<T>> fields() { return (Map<String, DatasetSchemaField<T>>) (Map<?, ?>) fields; }
    });
    Map<String, String> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", "broker-1:9092");
    config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"flink\" password=\"" + JAAS_SECRET + "\";");
    facets.put("config", new DatasetConfigFacet() {
      @Override public String name() { return "config"; }
      @Override public Map<String, String> config() { return config; }
    });
    return new LineageDataset() {
      @Override public String name() { return name; }
      @Override public String namespace() { return namespace; }
      @Override public Map<String, LineageDatasetFacet> facets() { return facets; }
    };
  }

  /** A bounded number sequence reporting a Kafka topic as its dataset. */
  static final class Source extends NumberSequenceSource implements LineageVertexProvider {
    private final String topic;

    Source(long to, String topic) {
      super(1, to);
      this.topic = topic;
    }

    @Override
    public SourceLineageVertex getLineageVertex() {
      List<LineageDataset> datasets = Collections.singletonList(dataset(BROKER, topic, "id", "BIGINT"));
      return new SourceLineageVertex() {
        @Override public Boundedness boundedness() { return Boundedness.BOUNDED; }
        @Override public List<LineageDataset> datasets() { return datasets; }
      };
    }
  }

  /** A discarding sink reporting a Kafka topic as its dataset. */
  static final class Sink<T> implements org.apache.flink.api.connector.sink2.Sink<T>, LineageVertexProvider {
    private final String topic;

    Sink(String topic) {
      this.topic = topic;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws java.io.IOException {
      return new DiscardingSink<T>().createWriter(context);
    }

    @Override
    public LineageVertex getLineageVertex() {
      List<LineageDataset> datasets = Collections.singletonList(dataset(BROKER, topic, "id", "BIGINT", "doubled", "BIGINT"));
      return () -> datasets;
    }
  }
}
