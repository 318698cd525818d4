package dev.autopilot.runtime.drill;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Settings of {@code drill db-outage} ({@code autopilot.drill.db-outage} in {@code drill.conf}).
 *
 * @param outage how long the server stays down
 * @param stopCommand argv stopping the journal's PostgreSQL server
 * @param startCommand argv starting it again
 * @param commandTimeout longest run of one command
 * @param serverTimeout longest wait for the server to go down, and to come back
 * @param nodes nodes of the local cluster
 * @param pipelines simulated pipelines
 * @param seed seed of the simulated workload
 * @param tickInterval wall-clock time between two rounds of ticks
 * @param tickTimeout the control loop's tick timeout during the drill
 * @param warmupTimeout longest wait for a verified change on every pipeline before the outage
 * @param resumeBound bound on the resumption once the server accepts connections again
 * @param afterTimeout longest wait for a change decided after the outage, applied and verified
 * @param readinessGrace readiness samples this soon after the server went down are not counted
 */
public record DbOutageSettings(
    Duration outage,
    List<String> stopCommand,
    List<String> startCommand,
    Duration commandTimeout,
    Duration serverTimeout,
    int nodes,
    int pipelines,
    long seed,
    Duration tickInterval,
    Duration tickTimeout,
    Duration warmupTimeout,
    Duration resumeBound,
    Duration afterTimeout,
    Duration readinessGrace) {

  public DbOutageSettings {
    stopCommand = List.copyOf(stopCommand);
    startCommand = List.copyOf(startCommand);
    require(!stopCommand.isEmpty(), "stop-command must not be empty");
    require(!startCommand.isEmpty(), "start-command must not be empty");
    require(!outage.isNegative() && !outage.isZero(), "outage must be > 0, was " + outage);
    require(nodes >= 1, "nodes must be >= 1, was " + nodes);
    require(pipelines >= 1, "pipelines must be >= 1, was " + pipelines);
    require(!tickInterval.isNegative(), "tick-interval must be >= 0, was " + tickInterval);
    require(!tickTimeout.isNegative() && !tickTimeout.isZero(), "tick-timeout must be > 0");
  }

  /** Reads {@code autopilot.drill.db-outage}. */
  public static DbOutageSettings create(Config config) {
    Config c = config.getConfig("autopilot.drill.db-outage");
    return new DbOutageSettings(
        c.getDuration("outage"),
        c.getStringList("stop-command"),
        c.getStringList("start-command"),
        c.getDuration("command-timeout"),
        c.getDuration("server-timeout"),
        c.getInt("nodes"),
        c.getInt("pipelines"),
        c.getLong("seed"),
        c.getDuration("tick-interval"),
        c.getDuration("tick-timeout"),
        c.getDuration("warmup-timeout"),
        c.getDuration("resume-bound"),
        c.getDuration("after-timeout"),
        c.getDuration("readiness-grace"));
  }

  /** The same settings with another outage length. */
  public DbOutageSettings withOutage(Duration value) {
    return new DbOutageSettings(
        value,
        stopCommand,
        startCommand,
        commandTimeout,
        serverTimeout,
        nodes,
        pipelines,
        seed,
        tickInterval,
        tickTimeout,
        warmupTimeout,
        resumeBound,
        afterTimeout,
        readinessGrace);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.drill.db-outage." + message);
    }
  }
}
