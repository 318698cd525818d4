package dev.autopilot.runtime.sim;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import site.ycsb.Utils;
import site.ycsb.WorkloadException;
import site.ycsb.generator.DiscreteGenerator;
import site.ycsb.generator.ScrambledZipfianGenerator;
import site.ycsb.generator.ZipfianGenerator;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * A YCSB-shaped transaction stream: the offered rate comes from a {@link GeneratedWorkload} (its
 * diurnal cycle, weekends and month-end periods, configured for the scenario), and each event is a
 * YCSB operation drawn from the day's core workload (A to F, rotating by calendar day through
 * {@link Settings#rotation()}) with its key drawn from that workload's request distribution.
 *
 * <p>Two things of the stream reach the simulator's physics:
 *
 * <ul>
 *   <li>{@link #costFactor}: the mean relative processing cost of the tick's operations (a sample
 *       of {@link Settings#costSamplesPerTick()} operations per tick, each weighed by {@link
 *       Settings#operationCost()}), so a scan- or write-heavy day costs more CPU per event;
 *   <li>{@link #hotKeyShare}: the share of the day's requests on its most popular key, measured on
 *       a sample of {@link Settings#keySamplesPerDay()} keys; the keyed operators send that key's
 *       records to one subtask.
 * </ul>
 *
 * <p>The mixes are YCSB's {@link CoreWorkload} property sets (validated once through {@code
 * CoreWorkload.init}, after {@code Measurements.setProperties}). YCSB 0.17.0's generators draw from
 * {@code ThreadLocalRandom}, which cannot be seeded, so this class does not call their {@code
 * nextValue}: it draws operations by the same proportions, and keys by the same inverse transform
 * as {@link ZipfianGenerator} with YCSB's own constants ({@link ScrambledZipfianGenerator#ZETAN},
 * {@link ScrambledZipfianGenerator#ITEM_COUNT}, {@link ZipfianGenerator#ZIPFIAN_CONSTANT}) and
 * YCSB's {@link Utils#fnvhash64} scrambling, from a {@link SplittableRandom} seeded by the run. The
 * same seed gives the same stream. Everything is precomputed at construction.
 */
public final class YcsbWorkload implements Workload {

  /** A YCSB operation. */
  public enum Operation {
    READ,
    UPDATE,
    INSERT,
    SCAN,
    READ_MODIFY_WRITE
  }

  /** YCSB's request distributions used by the core workloads A to F. */
  public enum RequestDistribution {
    /** {@code zipfian}: a scrambled Zipfian over the record keys (the popular keys are spread). */
    ZIPFIAN,
    /** {@code latest}: a Zipfian over recency, the newest record the most popular. */
    LATEST
  }

  /** The YCSB core workloads, as the property files {@code workloads/workload[a-f]} set them. */
  public enum Mix {
    /** Update heavy: 50 % reads, 50 % updates, zipfian. */
    A(0.5, 0.5, 0, 0, 0, RequestDistribution.ZIPFIAN),
    /** Read mostly: 95 % reads, 5 % updates, zipfian. */
    B(0.95, 0.05, 0, 0, 0, RequestDistribution.ZIPFIAN),
    /** Read only, zipfian. */
    C(1, 0, 0, 0, 0, RequestDistribution.ZIPFIAN),
    /** Read latest: 95 % reads, 5 % inserts, the newest records the most read. */
    D(0.95, 0, 0.05, 0, 0, RequestDistribution.LATEST),
    /** Short ranges: 95 % scans, 5 % inserts, zipfian start keys. */
    E(0, 0, 0.05, 0.95, 0, RequestDistribution.ZIPFIAN),
    /** Read-modify-write: 50 % reads, 50 % read-modify-writes, zipfian. */
    F(0.5, 0, 0, 0, 0.5, RequestDistribution.ZIPFIAN);

    private final double read;
    private final double update;
    private final double insert;
    private final double scan;
    private final double readModifyWrite;
    private final RequestDistribution distribution;

    Mix(
        double read,
        double update,
        double insert,
        double scan,
        double readModifyWrite,
        RequestDistribution distribution) {
      this.read = read;
      this.update = update;
      this.insert = insert;
      this.scan = scan;
      this.readModifyWrite = readModifyWrite;
      this.distribution = distribution;
    }

    /** The CoreWorkload properties of this mix over {@code recordCount} records. */
    public Properties properties(long recordCount) {
      Properties p = new Properties();
      p.setProperty("workload", CoreWorkload.class.getName());
      p.setProperty("recordcount", Long.toString(recordCount));
      // YCSB's zipfian key chooser sizes its range for the inserts of this many operations
      p.setProperty("operationcount", Long.toString(recordCount));
      p.setProperty(CoreWorkload.READ_PROPORTION_PROPERTY, Double.toString(read));
      p.setProperty(CoreWorkload.UPDATE_PROPORTION_PROPERTY, Double.toString(update));
      p.setProperty(CoreWorkload.INSERT_PROPORTION_PROPERTY, Double.toString(insert));
      p.setProperty(CoreWorkload.SCAN_PROPORTION_PROPERTY, Double.toString(scan));
      p.setProperty(
          CoreWorkload.READMODIFYWRITE_PROPORTION_PROPERTY, Double.toString(readModifyWrite));
      p.setProperty(
          CoreWorkload.REQUEST_DISTRIBUTION_PROPERTY, distribution.name().toLowerCase(Locale.ROOT));
      if (scan > 0) {
        p.setProperty(CoreWorkload.MAX_SCAN_LENGTH_PROPERTY, "100");
        p.setProperty(CoreWorkload.SCAN_LENGTH_DISTRIBUTION_PROPERTY, "uniform");
      }
      return p;
    }

    /**
     * The proportion of an operation, read back from the properties under CoreWorkload's own keys
     * and defaults (what {@code CoreWorkload.init} uses).
     */
    public double proportion(Operation op) {
      Properties p = properties(1);
      String[] key =
          switch (op) {
            case READ ->
                new String[] {
                  CoreWorkload.READ_PROPORTION_PROPERTY,
                  CoreWorkload.READ_PROPORTION_PROPERTY_DEFAULT
                };
            case UPDATE ->
                new String[] {
                  CoreWorkload.UPDATE_PROPORTION_PROPERTY,
                  CoreWorkload.UPDATE_PROPORTION_PROPERTY_DEFAULT
                };
            case INSERT ->
                new String[] {
                  CoreWorkload.INSERT_PROPORTION_PROPERTY,
                  CoreWorkload.INSERT_PROPORTION_PROPERTY_DEFAULT
                };
            case SCAN ->
                new String[] {
                  CoreWorkload.SCAN_PROPORTION_PROPERTY,
                  CoreWorkload.SCAN_PROPORTION_PROPERTY_DEFAULT
                };
            case READ_MODIFY_WRITE ->
                new String[] {
                  CoreWorkload.READMODIFYWRITE_PROPORTION_PROPERTY,
                  CoreWorkload.READMODIFYWRITE_PROPORTION_PROPERTY_DEFAULT
                };
          };
      return Double.parseDouble(p.getProperty(key[0], key[1]));
    }

    public RequestDistribution distribution() {
      return distribution;
    }

    /** Parses {@code a}..{@code f} or {@code workloada}..{@code workloadf}, any case. */
    public static Mix parse(String s) {
      String t = s.trim().toUpperCase(Locale.ROOT).replaceFirst("^WORKLOAD", "");
      for (Mix m : values()) {
        if (m.name().equals(t)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown YCSB workload '" + s + "', expected a to f");
    }
  }

  /**
   * The stream's knobs, read from {@code autopilot.simulation.ycsb}.
   *
   * @param recordCount records in the key space (YCSB's {@code recordcount})
   * @param rotation the core workloads run day after day, in this order, repeated
   * @param operationCost relative processing cost of each operation (a read is 1)
   * @param costSamplesPerTick operations drawn per tick to measure its mean cost
   * @param keySamplesPerDay keys drawn per day to measure the share of its most popular key
   */
  public record Settings(
      long recordCount,
      List<Mix> rotation,
      Map<Operation, Double> operationCost,
      int costSamplesPerTick,
      int keySamplesPerDay) {

    public Settings {
      rotation = List.copyOf(rotation);
      operationCost = Map.copyOf(operationCost);
      require(recordCount >= 2, "record-count must be >= 2");
      require(!rotation.isEmpty(), "rotation must name at least one workload");
      for (Operation op : Operation.values()) {
        Double c = operationCost.get(op);
        require(c != null && c > 0 && Double.isFinite(c), "operation-cost of every operation > 0");
      }
      require(costSamplesPerTick >= 1, "cost-samples-per-tick must be >= 1");
      require(keySamplesPerDay >= 100, "key-samples-per-day must be >= 100");
    }

    /** Reads {@code autopilot.simulation.ycsb} from a full configuration. */
    public static Settings create(Config root) {
      Config c = root.getConfig("autopilot.simulation.ycsb");
      List<Mix> rotation = new ArrayList<>();
      for (String s : c.getStringList("rotation")) {
        try {
          rotation.add(Mix.parse(s));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "autopilot.simulation.ycsb.rotation: " + e.getMessage());
        }
      }
      Config oc = c.getConfig("operation-cost");
      Map<Operation, Double> cost = new EnumMap<>(Operation.class);
      cost.put(Operation.READ, oc.getDouble("read"));
      cost.put(Operation.UPDATE, oc.getDouble("update"));
      cost.put(Operation.INSERT, oc.getDouble("insert"));
      cost.put(Operation.SCAN, oc.getDouble("scan"));
      cost.put(Operation.READ_MODIFY_WRITE, oc.getDouble("read-modify-write"));
      return new Settings(
          c.getLong("record-count"),
          rotation,
          cost,
          c.getInt("cost-samples-per-tick"),
          c.getInt("key-samples-per-day"));
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("autopilot.simulation.ycsb: " + message);
      }
    }
  }

  private final GeneratedWorkload rates;
  private final Settings settings;
  private final long firstDay;
  private final float[] cost;
  private final double[] dayHotKey;

  /**
   * @param rates the offered rate over the run (its horizon is the stream's)
   * @param settings the stream's knobs
   * @param seed seed of the operations and keys (the rates have their own)
   */
  public YcsbWorkload(GeneratedWorkload rates, Settings settings, long seed) {
    this.rates = rates;
    this.settings = settings;
    for (Mix m : settings.rotation()) {
      validate(m.properties(settings.recordCount()));
    }
    int ticks = rates.horizonTicks();
    this.firstDay = rates.date(0).toEpochDay();
    int days = (int) (rates.date(ticks - 1).toEpochDay() - firstDay + 1);
    SplittableRandom root = new SplittableRandom(seed ^ 0x59C5B0D3A1E27F65L);
    SplittableRandom ops = root.split();
    SplittableRandom keys = root.split();
    KeySampler zipfian = KeySampler.scrambledZipfian(settings.recordCount());
    KeySampler latest = KeySampler.latest(settings.recordCount());
    this.dayHotKey = new double[days];
    for (int d = 0; d < days; d++) {
      Mix m = mixOfDay(d);
      KeySampler k = m.distribution() == RequestDistribution.LATEST ? latest : zipfian;
      dayHotKey[d] = k.topShare(keys, settings.keySamplesPerDay());
    }
    this.cost = new float[ticks];
    for (int t = 0; t < ticks; t++) {
      Mix m = mix(t);
      double sum = 0;
      for (int i = 0; i < settings.costSamplesPerTick(); i++) {
        sum += settings.operationCost().get(sample(m, ops));
      }
      cost[t] = (float) (sum / settings.costSamplesPerTick());
    }
  }

  /** The YCSB stream of a scenario: the generator's rates (seeded) with the stream on top. */
  public static YcsbWorkload create(SimSettings sim, Settings ycsb, long seed, long ticks) {
    return new YcsbWorkload(
        new GeneratedWorkload(
            sim.workload(), seed, ticks, sim.tickSeconds(), sim.startEpochMillis()),
        ycsb,
        seed);
  }

  @Override
  public double offeredRate(long tick) {
    return rates.offeredRate(tick);
  }

  @Override
  public double costFactor(long tick) {
    return cost[(int) Math.floorMod(tick, (long) cost.length)];
  }

  @Override
  public double hotKeyShare(long tick) {
    return dayHotKey[dayIndex(Math.floorMod(tick, (long) cost.length))];
  }

  /** The core workload running at a tick. */
  public Mix mix(long tick) {
    return mixOfDay(dayIndex(Math.floorMod(tick, (long) cost.length)));
  }

  /** The rates underneath (events, month-end periods). */
  public GeneratedWorkload rates() {
    return rates;
  }

  /**
   * Draws one operation of a mix from a seeded stream, by the mix's proportions (as YCSB's
   * operation chooser does, with a seeded draw instead of {@code ThreadLocalRandom}).
   */
  public static Operation sample(Mix mix, SplittableRandom rnd) {
    double[] weights = WEIGHTS.get(mix);
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = rnd.nextDouble() * total;
    Operation last = Operation.READ;
    for (Operation op : Operation.values()) {
      if (weights[op.ordinal()] <= 0) {
        continue;
      }
      last = op;
      u -= weights[op.ordinal()];
      if (u < 0) {
        return op;
      }
    }
    return last;
  }

  /** YCSB's own (unseeded) operation chooser of a mix: for cross-checking the seeded draw. */
  public static DiscreteGenerator ycsbOperationChooser(Mix mix) {
    return OperationChooser.of(mix.properties(1000));
  }

  private int dayIndex(long tick) {
    return (int) (rates.date(tick).toEpochDay() - firstDay);
  }

  private Mix mixOfDay(int day) {
    return settings.rotation().get(Math.floorMod(day, settings.rotation().size()));
  }

  /** The proportions of each mix, in {@link Operation} order. */
  private static final Map<Mix, double[]> WEIGHTS = new EnumMap<>(Mix.class);

  static {
    for (Mix m : Mix.values()) {
      double[] w = new double[Operation.values().length];
      for (Operation op : Operation.values()) {
        w[op.ordinal()] = m.proportion(op);
      }
      WEIGHTS.put(m, w);
    }
  }

  private static final Map<Properties, Boolean> VALIDATED = new HashMap<>();

  /** Checks a mix is a valid YCSB core workload: {@code CoreWorkload.init} accepts it. */
  private static void validate(Properties p) {
    synchronized (VALIDATED) {
      if (VALIDATED.containsKey(p)) {
        return;
      }
      Measurements.setProperties(p);
      try {
        new CoreWorkload().init(p);
      } catch (WorkloadException e) {
        throw new IllegalArgumentException("not a valid YCSB core workload: " + e.getMessage(), e);
      }
      VALIDATED.put(p, Boolean.TRUE);
    }
  }

  /** Access to CoreWorkload's protected operation chooser factory. */
  private static final class OperationChooser extends CoreWorkload {
    static DiscreteGenerator of(Properties p) {
      return createOperationGenerator(p);
    }
  }

  /**
   * A seeded replica of YCSB's {@link ZipfianGenerator#nextValue()} (Gray et al.'s inverse
   * transform) over {@code items} items with YCSB's {@code zetan}, optionally scrambled over the
   * record keys as {@link ScrambledZipfianGenerator} does, or turned into recency ({@code latest}).
   */
  static final class KeySampler {
    private final long items;
    private final double theta;
    private final double zetan;
    private final double alpha;
    private final double eta;
    private final long recordCount;
    private final boolean scrambled;

    private KeySampler(
        long items, double theta, double zetan, long recordCount, boolean scrambled) {
      this.items = items;
      this.theta = theta;
      this.zetan = zetan;
      this.alpha = 1.0 / (1.0 - theta);
      double zeta2theta = 1 + Math.pow(0.5, theta);
      this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
      this.recordCount = recordCount;
      this.scrambled = scrambled;
    }

    /** YCSB's {@code zipfian} request distribution over {@code recordCount} keys. */
    static KeySampler scrambledZipfian(long recordCount) {
      return new KeySampler(
          ScrambledZipfianGenerator.ITEM_COUNT,
          ScrambledZipfianGenerator.USED_ZIPFIAN_CONSTANT,
          ScrambledZipfianGenerator.ZETAN,
          recordCount,
          true);
    }

    /** YCSB's {@code latest} request distribution over {@code recordCount} keys. */
    static KeySampler latest(long recordCount) {
      double theta = ZipfianGenerator.ZIPFIAN_CONSTANT;
      double zetan = 0;
      for (long i = 0; i < recordCount; i++) {
        zetan += 1 / Math.pow(i + 1, theta);
      }
      return new KeySampler(recordCount, theta, zetan, recordCount, false);
    }

    /** The Zipfian rank drawn (0 the most popular), as {@code ZipfianGenerator.nextLong}. */
    long nextRank(SplittableRandom rnd) {
      double u = rnd.nextDouble();
      double uz = u * zetan;
      if (uz < 1.0) {
        return 0;
      }
      if (uz < 1.0 + Math.pow(0.5, theta)) {
        return 1;
      }
      return (long) (items * Math.pow(eta * u - eta + 1, alpha));
    }

    /** A key drawn: the scrambled rank, or for {@code latest} the newest record minus the rank. */
    long nextKey(SplittableRandom rnd) {
      long rank = nextRank(rnd);
      if (scrambled) {
        return Math.floorMod(Utils.fnvhash64(rank), recordCount);
      }
      return recordCount - 1 - Math.min(rank, recordCount - 1);
    }

    /** Share of {@code samples} draws that hit the most drawn key. */
    double topShare(SplittableRandom rnd, int samples) {
      Map<Long, Integer> counts = new HashMap<>();
      int top = 0;
      for (int i = 0; i < samples; i++) {
        top = Math.max(top, counts.merge(nextKey(rnd), 1, Integer::sum));
      }
      return top / (double) samples;
    }
  }
}
