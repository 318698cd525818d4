package dev.autopilot.runtime.bench;

/**
 * What a pipeline (or all of them) cost, by part, dollars.
 *
 * @param computeOnDemand on-demand nodes
 * @param computeSpot spot nodes
 * @param storageSsd checkpoint storage younger than 24 h
 * @param storageBlock checkpoint storage from 24 h to 7 days
 * @param storageObject checkpoint storage older than 7 days
 */
public record CostParts(
    double computeOnDemand,
    double computeSpot,
    double storageSsd,
    double storageBlock,
    double storageObject) {

  /** Nothing spent. */
  public static final CostParts ZERO = new CostParts(0, 0, 0, 0, 0);

  /** The sum, part by part. */
  public CostParts plus(CostParts o) {
    return new CostParts(
        computeOnDemand + o.computeOnDemand,
        computeSpot + o.computeSpot,
        storageSsd + o.storageSsd,
        storageBlock + o.storageBlock,
        storageObject + o.storageObject);
  }

  /** All parts together. */
  public double total() {
    return computeOnDemand + computeSpot + storageSsd + storageBlock + storageObject;
  }
}
