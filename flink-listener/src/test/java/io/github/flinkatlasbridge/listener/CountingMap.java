package io.github.flinkatlasbridge.listener;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Doubles each record and counts it in the accumulator "records"; fails at one record when told to. */
final class CountingMap extends RichMapFunction<Long, Long> {
  private final long failAt;
  private final boolean onlyFirstAttempt;
  private final LongCounter records = new LongCounter();

  /** @param failAt the record to fail at (-1: never); @param onlyFirstAttempt fail only before the first restart */
  CountingMap(long failAt, boolean onlyFirstAttempt) {
    this.failAt = failAt;
    this.onlyFirstAttempt = onlyFirstAttempt;
  }

  @Override
  public void open(OpenContext context) {
    getRuntimeContext().addAccumulator("records", records);
  }

  @Override
  public Long map(Long value) {
    if (value == failAt && (!onlyFirstAttempt || getRuntimeContext().getTaskInfo().getAttemptNumber() == 0)) {
      throw new IllegalStateException("record " + value + " is poison (jdbc:postgresql://pg/shop?password=pg-secret-in-error)");
    }
    records.add(1L);
    return value * 2;
  }
}
