package dev.autopilot.runtime.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multi-node mode: two actor systems on one H2 journal form one cluster, the pipelines'
 * meta-agents are spread over both, and every pipeline's every tick is closed.
 */
class ScaleClusterTest {

  @Test
  void twoNodesFormAClusterAndDecideEveryPipelinesTicks() {
    Config config = RuntimeConfig.load();
    ScaleBench bench =
        new ScaleBench(ScaleSettings.create(config), new PrintWriter(new StringWriter()));
    List<Integer> members = new ArrayList<>();
    List<Integer> metaPerNode = new ArrayList<>();
    ScaleRun run =
        bench.run(
            new ScaleRunSpec(6, 2, "h2", 3, 0, 0, 42),
            nodes -> {
              members.add(nodes.size());
              assertTrue(ScaleBench.allUp(nodes, 2), "both nodes Up in one cluster");
              for (AutopilotNode node : nodes) {
                metaPerNode.add(ScaleBench.metaEntities(node));
              }
            });
    assertEquals(List.of(2), members);
    assertEquals(18, run.pipelineTicks(), "6 pipelines x 3 ticks closed");
    assertEquals(0, run.failedTicks());
    assertEquals(0, run.ticksWithMissingAgents());
    assertEquals(6, metaPerNode.stream().mapToInt(Integer::intValue).sum());
    assertTrue(
        metaPerNode.stream().allMatch(n -> n > 0), "meta-agents on both nodes: " + metaPerNode);
    assertEquals(metaPerNode, run.metaEntitiesPerNode());
  }
}
