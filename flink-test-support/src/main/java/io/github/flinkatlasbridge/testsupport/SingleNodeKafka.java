package io.github.flinkatlasbridge.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A one-node Kafka for a test class and what the tests do with it, through the public clients. The broker comes from
 * the Kafka line's own test kit (each flink-it module has a small {@link Broker} for its Kafka version), the clients
 * from that module's kafka-clients: this module compiles against kafka-clients {@code provided}, APIs Kafka 3.x and
 * 4.x share.
 *
 * <pre>
 * kafka = SingleNodeKafka.startWith(KafkaBroker::start, "orders", "orders-enriched");
 * kafka.produce("orders", List.of("order-1", "order-2"));
 * </pre>
 */
public final class SingleNodeKafka implements AutoCloseable {
  /** Broker settings for a single node: internal topics with one replica, no rebalance delay. */
  public static final Map<String, String> CONFIG = Map.of(
      "offsets.topic.replication.factor", "1",
      "transaction.state.log.replication.factor", "1",
      "transaction.state.log.min.isr", "1",
      "group.initial.rebalance.delay.ms", "0");

  /** A started broker of some Kafka line. */
  public interface Broker extends AutoCloseable {
    String bootstrapServers();
  }

  /** Starts a broker with these settings ({@link #CONFIG}). */
  @FunctionalInterface
  public interface Starter {
    Broker start(Map<String, String> brokerConfig) throws Exception;
  }

  private final Broker broker;

  private SingleNodeKafka(Broker broker) {
    this.broker = broker;
  }

  /** Starts the broker and creates the topics (one partition each). */
  public static SingleNodeKafka startWith(Starter starter, String... topics) throws Exception {
    SingleNodeKafka kafka = new SingleNodeKafka(starter.start(CONFIG));
    try {
      if (topics.length > 0) kafka.createTopics(topics);
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public SingleNodeKafka createTopics(String... topics) throws Exception {
    try (Admin admin = Admin.create(clientProperties())) {
      List<NewTopic> newTopics = List.of(topics).stream().map(t -> new NewTopic(t, 1, (short) 1)).collect(Collectors.toList());
      admin.createTopics(newTopics).all().get();
    }
    return this;
  }

  /** Sends the values to the topic, waiting for each to be acknowledged. */
  public SingleNodeKafka produce(String topic, List<String> values) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProperties(), new StringSerializer(), new StringSerializer())) {
      for (String value : values) producer.send(new ProducerRecord<>(topic, value)).get();
    }
    return this;
  }

  private Properties clientProperties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers());
    return props;
  }

  @Override
  public void close() throws Exception {
    broker.close();
  }
}
