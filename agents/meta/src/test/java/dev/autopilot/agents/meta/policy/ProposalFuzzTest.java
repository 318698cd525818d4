package dev.autopilot.agents.meta.policy;

import static dev.autopilot.agents.meta.policy.Fixtures.PIPELINE;
import static dev.autopilot.agents.meta.policy.Fixtures.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.Decision.RejectionCode;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Proposal fuzz (issue 8): random, extreme and malformed proposals, alone and in combinations,
 * through {@link AdmissionControl} and {@link Arbiter}. Nothing that breaks a hard constraint is
 * admitted or chosen, and nothing throws.
 *
 * <p>The hard constraints are checked here independently of the policy code, from the raw {@code
 * autopilot.meta} settings of reference.conf: predicted throughput drop at most {@code
 * max-throughput-drop}, p99 rise at most {@code max-latency-rise} (a recovery action may exceed
 * both only when its predicted outcome keeps the SLA), every operator's parallelism at least {@code
 * min-parallelism}, every dimension inside {@code tested-ranges}, TaskManager CPU and memory at
 * most {@code max-capacity-fraction} of {@code cluster}, configuration changes at least {@code
 * cooldown-ticks} after the last change, not expired, right pipeline, a proposing agent, and a
 * runnable target (operators, slots) that differs from the running one for a change.
 *
 * <p>Inputs are drawn from a seeded {@link Random} inside jqwik (fixed seed, deterministic):
 * hand-written generators reach the valid region often enough to exercise every check, which
 * jqwik's combinators over eleven fields would not.
 */
class ProposalFuzzTest {
  private static final Config META = ConfigFactory.load().getConfig("autopilot.meta");
  private static final double MAX_DROP = META.getDouble("constraints.max-throughput-drop");
  private static final double MAX_RISE = META.getDouble("constraints.max-latency-rise");
  private static final int MIN_PAR = META.getInt("constraints.min-parallelism");
  private static final double CAP_FRACTION = META.getDouble("constraints.max-capacity-fraction");
  private static final long COOLDOWN = META.getLong("constraints.cooldown-ticks");
  private static final double CORES =
      META.getInt("cluster.nodes") * META.getDouble("cluster.cores-per-node");
  private static final double MEMORY =
      META.getInt("cluster.nodes") * META.getDouble("cluster.memory-gb-per-node");

  private static final List<String> OPS = Snapshots.OPERATORS;
  private static final List<AgentKind> PROPOSERS =
      List.of(AgentKind.PREDICTION, AgentKind.RECOVERY, AgentKind.OPTIMIZATION);
  private static final SlaSpec SLA = new SlaSpec(400_000, 300, 0.05);

  private final AdmissionControl admission = new AdmissionControl(SETTINGS.arbiter().admission());
  private final Arbiter arbiter = new Arbiter(SETTINGS.arbiter());

  /** One admission input. */
  record Single(Proposal proposal, AdmissionControl.Context context) {}

  /** One arbitration input: a tick's proposals and the situation. */
  record Combination(List<Proposal> proposals, Arbiter.Situation situation) {}

  @Property(tries = 70_000, seed = "42")
  void admissionNeverAdmitsAConstraintBreakAndNeverThrows(@ForAll("singles") Single in) {
    Optional<AdmissionControl.Refusal> r = admission.check(in.proposal(), in.context());
    if (r.isEmpty()) {
      Statistics.label("admission").collect("ADMITTED");
      assertMeetsHardConstraints(in.proposal(), in.context());
    } else {
      Statistics.label("admission").collect(r.get().code());
      assertNotNull(r.get().code());
      assertFalse(r.get().reason() == null || r.get().reason().isBlank(), "refusal without reason");
      if (malformed(in.proposal(), in.context())) {
        assertEquals(RejectionCode.INVALID, r.get().code(), r.get().reason());
      }
    }
  }

  @Property(tries = 30_000, seed = "42")
  void arbiterNeverChoosesAConstraintBreakAndAccountsForEveryProposal(
      @ForAll("combinations") Combination in) {
    Arbiter.Situation s = in.situation();
    Decision d = arbiter.decide(s, in.proposals());
    assertNotNull(d.verdict());
    assertFalse(d.reason() == null || d.reason().isBlank());
    Statistics.label("verdict").collect(d.verdict());
    for (Decision.Rejection rej : d.rejections()) {
      Statistics.label("arbiter rejections").collect(rej.code());
      assertNotNull(rej.code());
      assertFalse(rej.reason() == null || rej.reason().isBlank());
    }
    long nonNull = in.proposals().stream().filter(p -> p != null).count();
    assertEquals(
        nonNull, d.rejections().size() + (d.chosen() == null ? 0 : 1), "a proposal went missing");
    if (d.chosen() == null) {
      assertEquals(Decision.Verdict.NO_ACTION, d.verdict());
      return;
    }
    AdmissionControl.Context ctx =
        new AdmissionControl.Context(
            s.pipelineId(),
            s.tick(),
            s.snapshot().config(),
            s.lastChangeTick(),
            s.sla(),
            s.snapshot().source().recordsInPerSecond());
    assertMeetsHardConstraints(d.chosen(), ctx);
    if (s.verificationOpen() && d.chosen().action() instanceof Action.RecoveryAction) {
      assertFalse(d.chosen().action().equals(s.actionUnderVerification()));
    }
  }

  // ------------------------------------------------------------------ independent oracle

  /** The hard constraints, from the raw settings; fails the property when one is broken. */
  private static void assertMeetsHardConstraints(Proposal p, AdmissionControl.Context ctx) {
    assertFalse(malformed(p, ctx), "malformed proposal admitted: " + p);
    assertTrue(ctx.tick() <= p.expiryTick(), "expired proposal admitted");
    boolean recovery = p.action() instanceof Action.RecoveryAction;
    if (!recovery && ctx.lastChangeTick() != AdmissionControl.NO_CHANGE) {
      assertTrue(ctx.tick() - ctx.lastChangeTick() >= COOLDOWN, "cooldown broken: " + p);
    }
    ExpectedEffect e = p.expectedEffect();
    boolean breaksRelative = e.throughputChange() < -MAX_DROP || e.latencyChange() > MAX_RISE;
    if (breaksRelative) {
      assertTrue(recovery, "configuration change over the relative limits admitted: " + e);
      SlaSpec sla = ctx.sla();
      assertNotNull(sla, "recovery over the relative limits without an SLA admitted");
      assertTrue(e.predictedLatencyP99Ms() > 0 && e.predictedThroughput() > 0);
      assertTrue(e.predictedLatencyP99Ms() <= sla.latencyP99BoundMs(), "SLA latency broken");
      double required = Math.min(sla.throughputTarget(), ctx.offeredRate());
      assertTrue(
          e.predictedThroughput() >= required * (1 - sla.throughputTolerance()),
          "SLA throughput broken");
    }
    PipelineConfig t = p.action().targetConfig(ctx.current());
    assertFalse(t.parallelism().isEmpty(), "no operators");
    int maxPar = 0;
    for (Map.Entry<String, Integer> op : t.parallelism().entrySet()) {
      assertNotNull(op.getKey());
      int v = op.getValue();
      assertTrue(v >= MIN_PAR, "min parallelism broken: " + t.summary());
      assertTrue(inRange("parallelism", v), "parallelism outside tested range: " + t.summary());
      maxPar = Math.max(maxPar, v);
    }
    assertTrue(inRange("network-buffer-mb", t.networkBufferMb()), t.summary());
    assertTrue(inRange("checkpoint-interval-seconds", t.checkpointIntervalSeconds()), t.summary());
    assertTrue(inRange("taskmanager-memory-gb", t.taskManagerMemoryGb()), t.summary());
    assertTrue(inRange("taskmanager-cpu", t.taskManagerCpu()), t.summary());
    assertTrue(inRange("taskmanagers", t.taskManagers()), t.summary());
    assertTrue(t.slotsPerTaskManager() >= 1);
    assertTrue((long) t.taskManagers() * t.slotsPerTaskManager() >= maxPar, "too few slots");
    assertTrue(t.taskManagers() * t.taskManagerCpu() <= CORES * CAP_FRACTION, "CPU capacity");
    assertTrue(t.taskManagers() * t.taskManagerMemoryGb() <= MEMORY * CAP_FRACTION, "memory");
    if (p.action() instanceof Action.ConfigChange) {
      assertFalse(t.equals(ctx.current()), "no-op change admitted");
    }
  }

  private static boolean inRange(String key, double v) {
    Config r = META.getConfig("tested-ranges." + key);
    return v >= r.getDouble("min") && v <= r.getDouble("max");
  }

  /** Missing fields, a non-proposing agent, another pipeline or non-finite numbers. */
  private static boolean malformed(Proposal p, AdmissionControl.Context ctx) {
    if (p == null
        || p.id() == null
        || p.agent() == null
        || p.priority() == null
        || p.action() == null
        || p.expectedEffect() == null) {
      return true;
    }
    ExpectedEffect e = p.expectedEffect();
    return !PROPOSERS.contains(p.agent())
        || !ctx.pipelineId().equals(p.pipelineId())
        || !Double.isFinite(p.confidence())
        || !Double.isFinite(e.throughputChange())
        || !Double.isFinite(e.latencyChange())
        || !Double.isFinite(e.netBenefit())
        || !Double.isFinite(e.predictedThroughput())
        || !Double.isFinite(e.predictedLatencyP99Ms());
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<Single> singles() {
    return Arbitraries.randomValue(
        r -> {
          long tick = tick(r);
          PipelineConfig current = currentConfig(r, r.nextInt(10) == 0);
          AdmissionControl.Context ctx =
              new AdmissionControl.Context(
                  PIPELINE,
                  tick,
                  current,
                  lastChange(r, tick),
                  r.nextBoolean() ? null : SLA,
                  dbl(r, 0, 1_000_000));
          return new Single(proposal(r, "p-" + r.nextInt(5), tick, current), ctx);
        });
  }

  @Provide
  Arbitrary<Combination> combinations() {
    return Arbitraries.randomValue(
        r -> {
          long tick = tick(r);
          PipelineConfig current = currentConfig(r, false);
          TelemetrySnapshot snap =
              Snapshots.builder(PIPELINE, tick)
                  .config(current)
                  .throughput(dbl(r, 0, 2_000_000))
                  .busy(r.nextDouble())
                  .lag(dbl(r, 0, 5_000_000))
                  .build();
          int n = r.nextInt(8);
          List<Proposal> ps = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            // Duplicate ids now and then: the arbiter must reject, not drop, them.
            String id = "p-" + (r.nextInt(6) == 0 ? 0 : i);
            ps.add(r.nextInt(50) == 0 ? null : proposal(r, id, tick, current));
          }
          Set<String> approved = new HashSet<>();
          if (r.nextBoolean()) {
            approved.add("p-" + r.nextInt(8));
          }
          Action verifying = r.nextInt(3) == 0 ? action(r, current) : null;
          Arbiter.Situation s =
              new Arbiter.Situation(
                  PIPELINE,
                  tick,
                  snap,
                  Mode.values()[r.nextInt(Mode.values().length)],
                  lastChange(r, tick),
                  verifying != null || r.nextInt(10) == 0,
                  verifying,
                  approved,
                  r.nextBoolean() ? null : SLA);
          return new Combination(ps, s);
        });
  }

  private static long tick(Random r) {
    return r.nextInt(20) == 0 ? 0 : 20 + r.nextInt(1_000_000);
  }

  private static long lastChange(Random r, long tick) {
    return switch (r.nextInt(4)) {
      case 0 -> AdmissionControl.NO_CHANGE;
      case 1 -> tick - r.nextInt((int) COOLDOWN * 2 + 1);
      case 2 -> tick + r.nextInt(5); // clock skew: a change "in the future"
      default -> Math.max(0, tick - 1_000 - r.nextInt(100_000));
    };
  }

  private static Proposal proposal(Random r, String id, long tick, PipelineConfig current) {
    AgentKind agent =
        r.nextInt(30) == 0
            ? (r.nextBoolean() ? null : AgentKind.values()[r.nextInt(AgentKind.values().length)])
            : PROPOSERS.get(r.nextInt(PROPOSERS.size()));
    PriorityClass pc =
        r.nextInt(30) == 0
            ? null
            : PriorityClass.values()[r.nextInt(PriorityClass.values().length)];
    Action a = r.nextInt(40) == 0 ? null : action(r, current);
    ExpectedEffect e =
        r.nextInt(40) == 0
            ? null
            : new ExpectedEffect(
                relative(r),
                relative(r),
                wild(r, 0, 2_000_000),
                wild(r, 0, 1_000),
                wild(r, -50, 50));
    String pipeline = r.nextInt(30) == 0 ? (r.nextBoolean() ? null : "other") : PIPELINE;
    long expiry =
        switch (r.nextInt(5)) {
          case 0 -> tick - 1 - r.nextInt(10);
          case 1 -> Long.MAX_VALUE;
          default -> tick + r.nextInt(10);
        };
    return new Proposal(
        r.nextInt(50) == 0 ? null : id,
        pipeline,
        agent,
        pc,
        a,
        r.nextInt(30) == 0 ? Double.NaN : r.nextDouble(),
        e,
        List.of("fuzz"),
        "fuzz",
        tick,
        expiry);
  }

  /** Every {@link Action} kind, with random, extreme, zero and negative arguments. */
  private static Action action(Random r, PipelineConfig current) {
    // Operator names of the running job (a wild one may hold a null name, which no action takes).
    List<String> ops = new ArrayList<>(current.parallelism().keySet());
    ops.removeIf(op -> op == null);
    return switch (r.nextInt(15)) {
      case 0 -> {
        Map<String, Integer> m = new LinkedHashMap<>();
        int k = r.nextInt(4);
        for (int i = 0; i < k; i++) {
          m.put(opName(r, ops), integer(r, 1, 300));
        }
        yield new Action.Rescale(m);
      }
      case 1 -> new Action.ScaleTaskManagers(integer(r, 1, 260));
      case 2 -> new Action.SetResources(wild(r, 1, 10), wild(r, 2, 20));
      case 3 -> new Action.SetNetworkBuffers(integer(r, 8, 160));
      case 4 -> new Action.SetCheckpointInterval(integer(r, 1, 80));
      case 5 ->
          new Action.Reconfigure(
              r.nextInt(20) == 0 ? null : randomConfig(r, ops, true), r.nextBoolean() ? null : "x");
      case 6 -> new Action.RestartTask(opName(r, ops));
      case 7 -> new Action.ExpandBuffers(integer(r, 8, 160), integer(r, 8, 160));
      case 8 -> new Action.Reconnect(r.nextBoolean() ? null : "kafka");
      case 9 -> new Action.RedeployOperator(opName(r, ops), integer(r, 1, 300));
      case 10 -> new Action.RestoreCheckpoint(integer(r, 0, 5));
      case 11 -> new Action.Redistribute(r.nextBoolean() ? null : "node-1");
      case 12 -> new Action.FullRestart(r.nextBoolean() ? null : randomConfig(r, ops, true));
      case 13 -> new Action.DrainNode(r.nextBoolean() ? null : "node-2");
      default -> new Action.Failover();
    };
  }

  private static String opName(Random r, List<String> ops) {
    if (ops.isEmpty() || r.nextInt(15) == 0) {
      return r.nextInt(3) == 0 ? "" : "ghost-" + r.nextInt(3);
    }
    return ops.get(r.nextInt(ops.size()));
  }

  /** The running configuration: mostly sane, sometimes itself outside the tested ranges. */
  private static PipelineConfig currentConfig(Random r, boolean wild) {
    if (wild) {
      return randomConfig(r, OPS, true);
    }
    int n = 1 + r.nextInt(OPS.size());
    Map<String, Integer> p = new LinkedHashMap<>();
    int max = 0;
    for (String op : OPS.subList(0, n)) {
      int v = 4 + r.nextInt(61);
      p.put(op, v);
      max = Math.max(max, v);
    }
    int slots = 1 + r.nextInt(8);
    int tms = Math.max((max + slots - 1) / slots, 1 + r.nextInt(40));
    return new PipelineConfig(
        p, 16 + r.nextInt(113), 5 + r.nextInt(56), tms, 2 + r.nextInt(7), 4 + r.nextInt(13), slots);
  }

  private static PipelineConfig randomConfig(Random r, List<String> ops, boolean extreme) {
    Map<String, Integer> p = new LinkedHashMap<>();
    int n = r.nextInt(20) == 0 ? 0 : 1 + r.nextInt(Math.max(1, ops.size()));
    for (int i = 0; i < n; i++) {
      p.put(
          r.nextInt(30) == 0
              ? (r.nextBoolean() ? null : " ")
              : ops.isEmpty() ? "op" : opName(r, ops),
          r.nextInt(40) == 0 ? null : integer(r, 1, 300));
    }
    return new PipelineConfig(
        r.nextInt(40) == 0 ? null : p,
        integer(r, 8, 160),
        integer(r, 1, 80),
        integer(r, 1, 260),
        wild(r, 1, 10),
        wild(r, 2, 20),
        extreme ? integer(r, 1, 16) : 4);
  }

  /** An int near the interesting region, or an extreme. */
  private static int integer(Random r, int lo, int hi) {
    return switch (r.nextInt(40)) {
      case 0 -> 0;
      case 1 -> -1 - r.nextInt(1000);
      case 2 -> r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
      case 3 -> r.nextInt();
      default -> lo + r.nextInt(hi - lo + 1);
    };
  }

  /** A double near the region, or an extreme (NaN, infinities, negative, huge, tiny). */
  private static double wild(Random r, double lo, double hi) {
    return switch (r.nextInt(40)) {
      case 0 -> Double.NaN;
      case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> -r.nextDouble() * 1e6;
      case 3 -> r.nextBoolean() ? Double.MAX_VALUE : Double.MIN_VALUE;
      case 4 -> 0.0;
      default -> dbl(r, lo, hi);
    };
  }

  private static double relative(Random r) {
    return r.nextInt(10) == 0 ? wild(r, -1, 1) : dbl(r, -0.3, 0.4);
  }

  private static double dbl(Random r, double lo, double hi) {
    return lo + r.nextDouble() * (hi - lo);
  }
}
