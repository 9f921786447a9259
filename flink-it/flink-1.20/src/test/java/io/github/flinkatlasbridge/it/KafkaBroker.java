package io.github.flinkatlasbridge.it;

import io.github.flinkatlasbridge.testsupport.SingleNodeKafka;
import java.util.Map;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/**
 * One in-JVM KRaft node (broker and controller co-resident) from Kafka 3.x's test kit (the kafka_2.13 test jar), on
 * free ports; the Flink 2 module has the same small class for Kafka 4.x's kafka-test-common-runtime.
 */
final class KafkaBroker implements SingleNodeKafka.Broker {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static KafkaBroker start(Map<String, String> brokerConfig) throws Exception {
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
        new TestKitNodes.Builder().setCoResident(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
    brokerConfig.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new KafkaBroker(cluster);
  }

  @Override
  public String bootstrapServers() {
    return cluster.clientProperties().getProperty("bootstrap.servers");
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
