package dev.autopilot.agents.meta.policy;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import java.util.List;

/** Shared builders for the policy tests; settings come from the module's reference.conf. */
final class Fixtures {
  static final String PIPELINE = "p1";
  static final MetaSettings SETTINGS = MetaSettings.create(ConfigFactory.load());

  private Fixtures() {}

  static ExpectedEffect effect(double thrChange, double latChange, double netBenefit) {
    return new ExpectedEffect(thrChange, latChange, 500_000, 120, netBenefit);
  }

  static Proposal proposal(
      String id, AgentKind agent, PriorityClass pc, Action action, ExpectedEffect e, long tick) {
    return new Proposal(
        id,
        PIPELINE,
        agent,
        pc,
        action,
        0.9,
        e,
        List.of("evidence of " + id),
        "cause of " + id,
        tick,
        tick + 5);
  }

  static Proposal proposal(String id, AgentKind agent, PriorityClass pc, Action action, double nb) {
    return proposal(id, agent, pc, action, effect(0.0, 0.0, nb), 10);
  }
}
