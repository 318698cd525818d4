package dev.autopilot.runtime.flink.embedded;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.flink.embedded.TaxiTrips.Trip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.streaming.api.windowing.assigners.ProcessingTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import org.apache.flink.util.Collector;

/**
 * The embedded real streaming job: taxi trips from the {@link TaxiTripSource} through four
 * transformations and two windowed aggregations into a sink, eight job vertices (chaining is off)
 * named with the simulated job graph's operator ids:
 *
 * <pre>
 * source-trips -> parse -> enrich -> filter -> transform -+-> window-agg  --+-> sink-results
 *                                                   +-> session-agg --+
 * </pre>
 *
 * <ul>
 *   <li>{@code parse}: CSV line to {@link Trip};
 *   <li>{@code enrich} (keyed by pickup zone): borough lookup with an external-lookup service time
 *       per record ({@link EmbeddedFlinkSettings#enrichLookupMicros()}), a per-zone trip counter,
 *       and the state-growth fault's extra keyed state;
 *   <li>{@code filter}: drops short trips (about 40 % of them);
 *   <li>{@code transform}: fare per km and tip estimate;
 *   <li>{@code window-agg}: per pickup zone, tumbling processing-time windows: trips and fares;
 *   <li>{@code session-agg}: per taxi, processing-time session windows: a shift's revenue;
 *   <li>{@code sink}: counts results and reports the end-to-end latency of the newest trip of each
 *       result as the {@code endToEndLatencyMs} gauge (p99 over the last second).
 * </ul>
 *
 * Every operator consults {@link Chaos} on every record ({@link ChaosPoint}).
 */
public final class TaxiTripJob {
  /**
   * The operator ids, in job-graph order: the ids the Flink REST platform derives from the vertex
   * names (lower case, runs of other characters as one dash). Flink prefixes a source vertex with
   * "Source: " and a sink with "Sink: ", so the source ("Source: trips") and the sink ("Sink:
   * results") cannot carry the simulated graph's plain {@code source} and {@code sink}; the six
   * operators between them do.
   */
  public static final List<String> OPERATORS =
      List.of(
          "source-trips",
          "parse",
          "enrich",
          "filter",
          "transform",
          "window-agg",
          "session-agg",
          "sink-results");

  /** Id of the source operator. */
  public static final String SOURCE = OPERATORS.get(0);

  /** Id of the sink operator. */
  public static final String SINK = OPERATORS.get(7);

  /** Job name, as the Flink REST API lists it. */
  public static final String JOB_NAME = "taxi-trips";

  private TaxiTripJob() {}

  /**
   * Builds the job graph.
   *
   * @param settings the embedded cluster's settings (checkpoint dir, windows, service times)
   * @param config per-operator parallelism and the checkpoint interval
   * @param restorePath savepoint or checkpoint to restore from, or null
   */
  public static JobGraph jobGraph(
      EmbeddedFlinkSettings settings, PipelineConfig config, String restorePath) {
    Configuration conf = new Configuration();
    conf.setString("pipeline.name", JOB_NAME);
    conf.setString(
        "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.disableOperatorChaining();
    env.setMaxParallelism(settings.maxParallelism());
    env.enableCheckpointing(config.checkpointIntervalSeconds() * 1000L);
    CheckpointConfig cp = env.getCheckpointConfig();
    cp.setCheckpointStorage(settings.checkpointDir().toUri().toString());
    cp.setTolerableCheckpointFailureNumber(settings.tolerableCheckpointFailures());
    cp.setCheckpointTimeout(settings.checkpointTimeout().toMillis());
    cp.setMinPauseBetweenCheckpoints(500);

    DataStream<String> lines =
        env.addSource(new TaxiTripSource(), "trips")
            .uid("source")
            .setParallelism(p(config, SOURCE, settings));
    DataStream<Trip> parsed =
        lines
            .map(new Parse())
            .name("parse")
            .uid("parse")
            .setParallelism(p(config, "parse", settings));
    DataStream<Trip> enriched =
        parsed
            .keyBy(t -> t.pickupZone)
            .process(new Enrich(settings.enrichLookupMicros()))
            .name("enrich")
            .uid("enrich")
            .setParallelism(p(config, "enrich", settings));
    DataStream<Trip> filtered =
        enriched
            .filter(new ShortTripFilter())
            .name("filter")
            .uid("filter")
            .setParallelism(p(config, "filter", settings));
    DataStream<Trip> transformed =
        filtered
            .map(new Transform())
            .name("transform")
            .uid("transform")
            .setParallelism(p(config, "transform", settings));
    DataStream<String> zones =
        transformed
            .keyBy(t -> t.pickupZone)
            .window(TumblingProcessingTimeWindows.of(settings.zoneWindow()))
            .aggregate(new Totals("window-agg", "zone"))
            .name("window-agg")
            .uid("window-agg")
            .setParallelism(p(config, "window-agg", settings));
    DataStream<String> shifts =
        transformed
            .keyBy(t -> t.taxiId)
            .window(ProcessingTimeSessionWindows.withGap(settings.sessionGap()))
            .aggregate(new Totals("session-agg", "taxi"))
            .name("session-agg")
            .uid("session-agg")
            .setParallelism(p(config, "session-agg", settings));
    zones
        .union(shifts)
        .addSink(new ResultSink())
        .name("results")
        .uid("sink")
        .setParallelism(p(config, SINK, settings));

    JobGraph graph = env.getStreamGraph().getJobGraph();
    if (restorePath != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restorePath, false));
    }
    return graph;
  }

  private static int p(PipelineConfig config, String op, EmbeddedFlinkSettings settings) {
    Integer p = config.parallelism().get(op);
    if (p == null || p < 1) {
      throw new IllegalArgumentException(
          "no parallelism >= 1 for operator " + op + " in " + config);
    }
    int max = op.equals(SOURCE) ? settings.partitions() : settings.maxParallelism();
    return Math.min(p, max);
  }

  // ------------------------------------------------------------------------------ operators

  static final class Parse extends RichMapFunction<String, Trip> {
    private static final long serialVersionUID = 1L;
    private final ChaosPoint chaos = new ChaosPoint("parse", 0);

    @Override
    public Trip map(String line) {
      chaos.onRecord();
      return Trip.parse(line);
    }
  }

  static final class Enrich extends KeyedProcessFunction<Integer, Trip, Trip> {
    private static final long serialVersionUID = 1L;
    private final ChaosPoint chaos;
    private transient ValueState<Long> tripsInZone;
    private transient MapState<Long, byte[]> ballast;

    Enrich(long lookupMicros) {
      this.chaos = new ChaosPoint("enrich", lookupMicros);
    }

    @Override
    public void open(OpenContext openContext) {
      tripsInZone =
          getRuntimeContext().getState(new ValueStateDescriptor<>("trips-in-zone", Long.class));
      ballast =
          getRuntimeContext()
              .getMapState(new MapStateDescriptor<>("ballast", Long.class, byte[].class));
    }

    @Override
    public void processElement(Trip t, Context ctx, Collector<Trip> out) throws Exception {
      chaos.onRecord();
      Long n = tripsInZone.value();
      tripsInZone.update(n == null ? 1 : n + 1);
      long extra = chaos.extraStateBytes();
      if (extra > 0) {
        byte[] b = new byte[(int) Math.min(extra, 1 << 20)];
        Arrays.fill(b, (byte) t.tripId);
        ballast.put(t.tripId, b);
      }
      t.borough = TaxiTrips.borough(t.pickupZone);
      out.collect(t);
    }
  }

  static final class ShortTripFilter extends RichFilterFunction<Trip> {
    private static final long serialVersionUID = 1L;
    private final ChaosPoint chaos = new ChaosPoint("filter", 0);

    @Override
    public boolean filter(Trip t) {
      chaos.onRecord();
      return t.distanceMeters >= 6_000 && t.passengers > 0;
    }
  }

  static final class Transform extends RichMapFunction<Trip, Trip> {
    private static final long serialVersionUID = 1L;
    private final ChaosPoint chaos = new ChaosPoint("transform", 0);

    @Override
    public Trip map(Trip t) {
      chaos.onRecord();
      t.farePerKm = t.fareCents / 100.0 / Math.max(0.1, t.distanceMeters / 1000.0);
      t.tipCents = Math.round(t.fareCents * (t.farePerKm > 3 ? 0.2 : 0.15));
      return t;
    }
  }

  /** Count, fare total and newest produced time of a window; emitted as a CSV line. */
  static final class Totals implements AggregateFunction<Trip, long[], String> {
    private static final long serialVersionUID = 1L;
    private final ChaosPoint chaos;
    private final String what;

    Totals(String operatorId, String what) {
      this.chaos = new ChaosPoint(operatorId, 0);
      this.what = what;
    }

    @Override
    public long[] createAccumulator() {
      return new long[] {0, 0, 0, -1};
    }

    @Override
    public long[] add(Trip t, long[] acc) {
      chaos.onRecord();
      acc[0]++;
      acc[1] += t.fareCents + t.tipCents;
      acc[2] = Math.max(acc[2], t.producedAtMillis);
      acc[3] = what.equals("zone") ? t.pickupZone : t.taxiId;
      return acc;
    }

    @Override
    public String getResult(long[] acc) {
      return what + "," + acc[3] + "," + acc[0] + "," + acc[1] + "," + acc[2];
    }

    @Override
    public long[] merge(long[] a, long[] b) {
      return new long[] {a[0] + b[0], a[1] + b[1], Math.max(a[2], b[2]), a[3]};
    }
  }

  /** Counts results and reports the p99 end-to-end latency of the last second. */
  static final class ResultSink extends RichSinkFunction<String> {
    private static final long serialVersionUID = 1L;
    private final ChaosPoint chaos = new ChaosPoint(SINK, 0);
    private transient List<Long> window;
    private transient long windowStart;
    private transient volatile long p99;

    @Override
    public void open(OpenContext openContext) {
      window = new ArrayList<>();
      windowStart = System.currentTimeMillis();
      getRuntimeContext().getMetricGroup().gauge("endToEndLatencyMs", (Gauge<Long>) () -> p99);
    }

    @Override
    public void invoke(String value, Context context) {
      chaos.onRecord();
      long now = System.currentTimeMillis();
      long produced = Long.parseLong(value.substring(value.lastIndexOf(',') + 1));
      window.add(Math.max(0, now - produced));
      if (now - windowStart >= 1000) {
        long[] sorted = window.stream().mapToLong(Long::longValue).sorted().toArray();
        p99 = sorted.length == 0 ? 0 : sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
        window.clear();
        windowStart = now;
      }
    }
  }
}
