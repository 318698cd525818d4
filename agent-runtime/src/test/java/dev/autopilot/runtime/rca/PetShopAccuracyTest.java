package dev.autopilot.runtime.rca;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.rca.RcaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Accuracy floor on the public PetShop part (27 labelled issues), with and without the noissue
 * baseline. Skipped when the data set is absent. The floors sit below the measured figures (top-1
 * 0.926, top-3 1.0 both ways with the reference.conf defaults) so that small numeric changes do not
 * flake, but far above the dataset's own baseline (about 0.71 / 0.87).
 */
class PetShopAccuracyTest {

  private static Path dataset() {
    String p = System.getProperty("petshop.dir", System.getenv("PETSHOP_DIR"));
    return Path.of(p != null ? p : "/work/shared/data/petshop");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void meetsTheAccuracyFloor(boolean useBaseline) throws Exception {
    Path root = dataset();
    assumeTrue(Files.isDirectory(root), "PetShop data not present at " + root);
    RcaSettings settings = RcaSettings.create(ConfigFactory.load());
    List<PetShopDataset.Ranked> ranked =
        PetShopDataset.load(root, settings, useBaseline).rank(settings);
    assumeTrue(ranked.size() >= 20, "fewer issues than the public part");
    double top1 = ranked.stream().filter(r -> r.hit(1)).count() / (double) ranked.size();
    double top3 = ranked.stream().filter(r -> r.hit(3)).count() / (double) ranked.size();
    assertTrue(top1 >= 0.85, "top-1 " + top1);
    assertTrue(top3 >= 0.95, "top-3 " + top3);
  }
}
