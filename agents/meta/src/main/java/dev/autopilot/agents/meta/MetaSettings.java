package dev.autopilot.agents.meta;

import com.typesafe.config.Config;
import dev.autopilot.agents.meta.policy.AdmissionSettings;
import dev.autopilot.agents.meta.policy.ArbiterSettings;
import dev.autopilot.agents.meta.policy.ClusterCapacity;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.agents.meta.policy.Range;
import dev.autopilot.agents.meta.policy.Risk;
import dev.autopilot.agents.meta.policy.RiskSettings;
import dev.autopilot.agents.meta.policy.TestedRanges;
import dev.autopilot.agents.meta.policy.VerificationSettings;
import dev.autopilot.api.AgentKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Settings of the meta module, read once from {@code autopilot.meta} (see its {@code
 * reference.conf}, which holds every default).
 *
 * @param decisionDeadline how long a tick waits for the agents' proposals
 * @param mode initial mode of every pipeline
 * @param arbiter arbitration and admission settings
 * @param verification the actuator's verification settings
 * @param historySize known-good configurations kept
 * @param actuator actuator supervision and dispatcher
 * @param proposers the agents asked at every tick, in the order their proposals are considered: a
 *     non-empty subset of prediction, recovery and optimization without repeats (an ablation
 *     leaves one out, so that the meta-agent neither asks it nor waits for it)
 */
public record MetaSettings(
    Duration decisionDeadline,
    Mode mode,
    ArbiterSettings arbiter,
    VerificationSettings verification,
    int historySize,
    ActuatorSettings actuator,
    List<AgentKind> proposers) {

  /** The config path of the actuator's blocking dispatcher. */
  public static final String DISPATCHER_PATH = "autopilot.meta.actuator.dispatcher";

  /** The agents that may propose: every one of them is asked by default. */
  public static final List<AgentKind> ALL_PROPOSERS =
      List.of(AgentKind.PREDICTION, AgentKind.RECOVERY, AgentKind.OPTIMIZATION);

  public MetaSettings {
    if (proposers == null || proposers.isEmpty()) {
      throw new IllegalArgumentException("autopilot.meta.proposers: at least one agent is needed");
    }
    Set<AgentKind> seen = new LinkedHashSet<>();
    for (AgentKind k : proposers) {
      if (k == null || !ALL_PROPOSERS.contains(k)) {
        throw new IllegalArgumentException(
            "autopilot.meta.proposers: '" + k + "' is not a proposing agent, expected among " + names(ALL_PROPOSERS));
      }
      if (!seen.add(k)) {
        throw new IllegalArgumentException(
            "autopilot.meta.proposers: '" + k.entityTypeName() + "' is listed twice");
      }
    }
    proposers = List.copyOf(proposers);
  }

  /**
   * Actuator settings.
   *
   * @param tickTimeout how long the meta-agent waits for the actuator's TickDone
   * @param minBackoff first restart delay
   * @param maxBackoff largest restart delay
   * @param randomFactor restart jitter
   * @param dispatcher config path of the blocking dispatcher for platform calls
   */
  public record ActuatorSettings(
      Duration tickTimeout,
      Duration minBackoff,
      Duration maxBackoff,
      double randomFactor,
      String dispatcher) {}

  /** Reads {@code autopilot.meta} from a full config (the root, not the section). */
  public static MetaSettings create(Config root) {
    Config c = root.getConfig("autopilot.meta");
    Config k = c.getConfig("constraints");
    Config r = c.getConfig("tested-ranges");
    Config cl = c.getConfig("cluster");
    Config a = c.getConfig("arbitration");
    Config v = c.getConfig("verification");
    Config act = c.getConfig("actuator");
    AdmissionSettings admission =
        new AdmissionSettings(
            k.getDouble("max-throughput-drop"),
            k.getDouble("max-latency-rise"),
            k.getInt("min-parallelism"),
            k.getDouble("max-capacity-fraction"),
            k.getLong("cooldown-ticks"),
            new TestedRanges(
                range(r, "parallelism"),
                range(r, "network-buffer-mb"),
                range(r, "checkpoint-interval-seconds"),
                range(r, "taskmanager-memory-gb"),
                range(r, "taskmanager-cpu"),
                range(r, "taskmanagers")),
            new ClusterCapacity(
                cl.getInt("nodes"),
                cl.getDouble("cores-per-node"),
                cl.getDouble("memory-gb-per-node")));
    ArbiterSettings arbiter =
        new ArbiterSettings(
            admission,
            new RiskSettings(a.getDouble("large-change-fraction")),
            Risk.valueOf(c.getString("approval-risk").toUpperCase(Locale.ROOT)),
            a.getDouble("scale-down-max-forecast-utilisation"));
    VerificationSettings verification =
        new VerificationSettings(
            v.getInt("window-ticks"),
            v.getDouble("throughput-shortfall"),
            v.getDouble("latency-excess"),
            v.getDouble("tick-seconds"),
            v.getInt("max-catch-up-ticks"),
            v.getDouble("catch-up-lag-band"),
            v.getDuration("catch-up-lag-slack", java.util.concurrent.TimeUnit.MILLISECONDS)
                / 1000.0);
    ActuatorSettings actuator =
        new ActuatorSettings(
            act.getDuration("tick-timeout"),
            act.getDuration("restart-backoff.min"),
            act.getDuration("restart-backoff.max"),
            act.getDouble("restart-backoff.random-factor"),
            DISPATCHER_PATH);
    return new MetaSettings(
        c.getDuration("decision-deadline"),
        Mode.valueOf(c.getString("mode").toUpperCase(Locale.ROOT)),
        arbiter,
        verification,
        c.getInt("history-size"),
        actuator,
        proposers(c.getStringList("proposers")));
  }

  /** Parses the proposer names (case-insensitive) with a clear message for an unknown one. */
  static List<AgentKind> proposers(List<String> names) {
    List<AgentKind> out = new ArrayList<>();
    for (String n : names) {
      String wanted = n == null ? "" : n.trim().toLowerCase(Locale.ROOT);
      AgentKind kind =
          ALL_PROPOSERS.stream()
              .filter(k -> k.entityTypeName().equals(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "autopilot.meta.proposers: unknown agent '"
                              + n
                              + "', expected among "
                              + names(ALL_PROPOSERS)));
      out.add(kind);
    }
    return out;
  }

  private static String names(List<AgentKind> kinds) {
    return kinds.stream().map(AgentKind::entityTypeName).toList().toString();
  }

  private static Range range(Config c, String key) {
    return new Range(c.getDouble(key + ".min"), c.getDouble(key + ".max"));
  }

  /** A copy in another mode. */
  public MetaSettings withMode(Mode m) {
    return new MetaSettings(
        decisionDeadline, m, arbiter, verification, historySize, actuator, proposers);
  }
}
