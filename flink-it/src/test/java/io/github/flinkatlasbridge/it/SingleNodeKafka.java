package io.github.flinkatlasbridge.it;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the tests do with the one-node broker (KafkaBroker, one per Kafka line), through the public clients. */
final class SingleNodeKafka {
  /** Broker settings for a single node: internal topics with one replica, no rebalance delay. */
  static final Map<String, String> CONFIG = Map.of(
      "offsets.topic.replication.factor", "1",
      "transaction.state.log.replication.factor", "1",
      "transaction.state.log.min.isr", "1",
      "group.initial.rebalance.delay.ms", "0");

  private SingleNodeKafka() {}

  static void createTopics(String bootstrapServers, String... topics) throws Exception {
    try (Admin admin = Admin.create(clientProperties(bootstrapServers))) {
      List<NewTopic> newTopics = List.of(topics).stream().map(t -> new NewTopic(t, 1, (short) 1)).collect(Collectors.toList());
      admin.createTopics(newTopics).all().get();
    }
  }

  static void produce(String bootstrapServers, String topic, List<String> values) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProperties(bootstrapServers), new StringSerializer(), new StringSerializer())) {
      for (String value : values) producer.send(new ProducerRecord<>(topic, value)).get();
    }
  }

  private static Properties clientProperties(String bootstrapServers) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }
}
