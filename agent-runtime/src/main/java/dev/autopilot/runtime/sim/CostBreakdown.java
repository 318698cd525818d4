package dev.autopilot.runtime.sim;

/**
 * What a pipeline has cost since tick 0, by part, dollars; the parts add up to {@link
 * GroundTruth#costSoFar()}.
 *
 * @param computeOnDemand its share of the on-demand nodes
 * @param computeSpot its share of the spot nodes
 * @param storageSsd checkpoint storage younger than 24 h
 * @param storageBlock checkpoint storage from 24 h to 7 days
 * @param storageObject checkpoint storage older than 7 days
 * @param network the bytes its TaskManagers sent
 */
public record CostBreakdown(
    double computeOnDemand,
    double computeSpot,
    double storageSsd,
    double storageBlock,
    double storageObject,
    double network) {

  /** A breakdown without network cost. */
  public CostBreakdown(
      double computeOnDemand,
      double computeSpot,
      double storageSsd,
      double storageBlock,
      double storageObject) {
    this(computeOnDemand, computeSpot, storageSsd, storageBlock, storageObject, 0);
  }

  /** The sum of the parts. */
  public double total() {
    return computeOnDemand + computeSpot + storageSsd + storageBlock + storageObject + network;
  }
}
