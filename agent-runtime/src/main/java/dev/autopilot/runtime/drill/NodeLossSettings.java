package dev.autopilot.runtime.drill;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of {@code drill node-loss}, read once from {@code autopilot.drill.node-loss} ({@code
 * drill.conf}).
 *
 * @param trials trials to run, each killing one node
 * @param seed seed of the moments, pipelines and nodes chosen, and of the simulated workload
 * @param nodes nodes of the local cluster
 * @param pipelines pipelines {@code p1..pN}
 * @param resumeBound the stated bound on the time to resume (kill to every pipeline's meta-agent
 *     closing a tick again)
 * @param askTimeout longest wait for one tick or one rollback while the cluster is whole
 * @param resumeAttempt one attempt of a tick while the cluster recovers
 * @param resumeDeadline longest wait for the pipelines to resume before the trial fails
 * @param maxTicksPerStep most ticks driven for one step (a change applied, verified)
 */
public record NodeLossSettings(
    int trials,
    long seed,
    int nodes,
    int pipelines,
    Duration resumeBound,
    Duration askTimeout,
    Duration resumeAttempt,
    Duration resumeDeadline,
    int maxTicksPerStep) {

  /** Config path of the settings. */
  public static final String ROOT = "autopilot.drill.node-loss";

  public NodeLossSettings {
    require(trials >= 1, "trials must be >= 1, was " + trials);
    require(
        nodes >= 2, "nodes must be >= 2 (a killed node's entities move to another), was " + nodes);
    require(pipelines >= 1, "pipelines must be >= 1, was " + pipelines);
    require(positive(resumeBound), "resume-bound must be positive, was " + resumeBound);
    require(positive(askTimeout), "ask-timeout must be positive, was " + askTimeout);
    require(positive(resumeAttempt), "resume-attempt must be positive, was " + resumeAttempt);
    require(
        positive(resumeDeadline) && resumeDeadline.compareTo(resumeBound) >= 0,
        "resume-deadline must be at least resume-bound, was " + resumeDeadline);
    require(maxTicksPerStep >= 1, "max-ticks-per-step must be >= 1, was " + maxTicksPerStep);
  }

  /** Reads {@link #ROOT} from a resolved configuration. */
  public static NodeLossSettings create(Config root) {
    Config c = root.getConfig(ROOT);
    return new NodeLossSettings(
        c.getInt("trials"),
        c.getLong("seed"),
        c.getInt("nodes"),
        c.getInt("pipelines"),
        c.getDuration("resume-bound"),
        c.getDuration("ask-timeout"),
        c.getDuration("resume-attempt"),
        c.getDuration("resume-deadline"),
        c.getInt("max-ticks-per-step"));
  }

  /** These settings with another trial count and seed. */
  public NodeLossSettings with(int trials, long seed) {
    return new NodeLossSettings(
        trials,
        seed,
        nodes,
        pipelines,
        resumeBound,
        askTimeout,
        resumeAttempt,
        resumeDeadline,
        maxTicksPerStep);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(ROOT + "." + message);
    }
  }
}
