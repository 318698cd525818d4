package dev.autopilot.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The replay property of a proposing agent (issue 8): drive the entity with a random valid command
 * sequence ({@code Evaluate} on {@link RandomTelemetry}'s walk, {@code Outcome} of proposals it
 * made), restart it from its journal, and hand back the state before and after.
 */
public final class ProposerReplay {
  private ProposerReplay() {}

  /**
   * One driven sequence.
   *
   * @param before the state before the restart
   * @param after the state recovered from the journal
   * @param events the events journaled
   * @param proposals the proposals the entity made
   * @param outcomes the outcomes sent
   */
  public record Run<S>(S before, S after, int events, int proposals, int outcomes) {}

  /**
   * The property: {@link #run} with the sequence's seed, the recovered state equal to the state
   * before, and jqwik statistics with a coverage check that at least 40% of the sequences journal
   * something (so that the property is not checked on empty journals only).
   */
  public static <E, S> void assertReplays(
      EventSourcedBehaviorTestKit<AgentProtocol.Command, E, S> kit,
      String pipelineId,
      SlaSpec sla,
      long seed,
      int commands) {
    Run<S> run = run(kit, pipelineId, sla, new Random(seed), commands);
    assertEquals(run.before(), run.after());
    Statistics.label("journaled").collect(run.events() > 0);
    Statistics.label("proposed").collect(run.proposals() > 0);
    Statistics.label("journaled").coverage(c -> c.check(true).percentage(p -> p >= 40));
  }

  /**
   * Runs {@code commands} random commands on a cleared entity, then restarts it.
   *
   * @param kit the entity (serialization verification on, as configured by the testkit)
   * @param pipelineId its pipeline
   * @param sla the SLA sent with every evaluation
   * @param rnd the sequence's randomness (seeded by the property)
   * @param commands how many commands
   */
  public static <E, S> Run<S> run(
      EventSourcedBehaviorTestKit<AgentProtocol.Command, E, S> kit,
      String pipelineId,
      SlaSpec sla,
      Random rnd,
      int commands) {
    kit.clear();
    RandomTelemetry telemetry = new RandomTelemetry(pipelineId, rnd);
    List<Proposal> made = new ArrayList<>();
    int events = 0;
    int outcomes = 0;
    for (int i = 0; i < commands; i++) {
      if (!made.isEmpty() && rnd.nextInt(4) == 0) {
        Proposal p = made.get(rnd.nextInt(made.size()));
        events += kit.runCommand(telemetry.outcome(p)).events().size();
        outcomes++;
      } else {
        var result =
            kit.<AgentProtocol.Proposals>runCommand(
                replyTo -> new AgentProtocol.Evaluate(telemetry.next(), sla, replyTo));
        made.addAll(result.reply().proposals());
        events += result.events().size();
      }
    }
    S before = kit.getState();
    S after = kit.restart().state();
    return new Run<>(before, after, events, made.size(), outcomes);
  }
}
