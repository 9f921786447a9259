package io.github.flinkatlasbridge.it;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.IntCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The client side of session mode, run in its own JVM by SessionModeFlink2Test and SessionModeFlink1Test (through
 * {@link SessionMode}): as {@code flink run} does, it reads the client's Flink configuration from
 * {@code $FLINK_CONF_DIR/config.yaml} and submits a job to a running session cluster's REST endpoint
 * (RemoteStreamEnvironment → AbstractSessionClusterExecutor, where Flink 2 fires the JobCreatedEvent), attached, so
 * the JobListener sees the result. Prints one {@code session-client-result} line.
 *
 * <p>Arguments: REST host, REST port, job name, Kafka bootstrap servers, input topic, output topic.
 */
public final class SessionModeClient {
  static final String RESULT_LINE = "session-client-result";
  static final String ACCUMULATOR = "records-enriched";

  private SessionModeClient() {}

  public static void main(String[] args) {
    try {
      run(args[0], Integer.parseInt(args[1]), args[2], args[3], args[4], args[5]);
      System.exit(0); // the REST client's threads would keep the JVM up; the listener's shutdown hook still flushes
    } catch (Throwable failure) {
      failure.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String host, int port, String jobName, String bootstrapServers, String input, String output) throws Exception {
    Configuration conf = GlobalConfiguration.loadConfiguration();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf);
    KafkaSource<String> source = KafkaSource.<String>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(input)
        .setGroupId("flink-it-session")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    KafkaSink<String> sink = KafkaSink.<String>builder()
        .setBootstrapServers(bootstrapServers)
        .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(output).setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), input)
        .map(new CountingEnrich()).returns(Types.STRING).name("enrich")
        .sinkTo(sink).name(output);
    JobExecutionResult result = env.execute(jobName);
    System.out.println(RESULT_LINE + " " + result.getJobID() + " " + result.getNetRuntime() + " " + result.getAccumulatorResult(ACCUMULATOR));
  }

  /** Upper-cases each record and counts it in an accumulator, which the JobListener's job.result carries. */
  static final class CountingEnrich extends RichMapFunction<String, String> {
    private final IntCounter records = new IntCounter();

    @Override
    public void open(OpenContext context) {
      getRuntimeContext().addAccumulator(ACCUMULATOR, records);
    }

    @Override
    public String map(String value) {
      records.add(1);
      return value.toUpperCase(java.util.Locale.ROOT);
    }
  }
}
