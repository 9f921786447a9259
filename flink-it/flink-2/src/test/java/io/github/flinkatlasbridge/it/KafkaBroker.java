package io.github.flinkatlasbridge.it;

import io.github.flinkatlasbridge.testsupport.SingleNodeKafka;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-JVM KRaft node (broker and controller combined) from Kafka 4.x's test kit (kafka-test-common-runtime), on
 * free ports; the Flink 1.20 module has the same small class for Kafka 3.x's test kit.
 */
final class KafkaBroker implements SingleNodeKafka.Broker {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static KafkaBroker start(Map<String, String> brokerConfig) throws Exception {
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
        new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
    brokerConfig.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new KafkaBroker(cluster);
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
