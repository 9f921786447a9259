package io.github.flinkatlasbridge.it;

import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-JVM KRaft node (broker and controller combined) from Kafka's own test kit (kafka-test-common-runtime, Kafka
 * 4.x), on free ports. The Flink 1.20 module has its own copy of this small class for Kafka 3.x's test kit.
 */
final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static KafkaBroker start() throws Exception {
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(
        new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new KafkaBroker(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  void createTopics(String... topics) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> newTopics = List.of(topics).stream().map(t -> new NewTopic(t, 1, (short) 1)).collect(Collectors.toList());
      admin.createTopics(newTopics).all().get();
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
