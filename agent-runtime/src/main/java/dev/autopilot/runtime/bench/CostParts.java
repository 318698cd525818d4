package dev.autopilot.runtime.bench;

/**
 * What a pipeline (or all of them) cost, by part, dollars.
 *
 * @param computeOnDemand on-demand nodes
 * @param computeSpot spot nodes
 * @param storageSsd checkpoint storage younger than 24 h
 * @param storageBlock checkpoint storage from 24 h to 7 days
 * @param storageObject checkpoint storage older than 7 days
 * @param network the bytes the TaskManagers sent
 */
public record CostParts(
    double computeOnDemand,
    double computeSpot,
    double storageSsd,
    double storageBlock,
    double storageObject,
    double network) {

  /** Nothing spent. */
  public static final CostParts ZERO = new CostParts(0, 0, 0, 0, 0, 0);

  /** Parts without network cost. */
  public CostParts(
      double computeOnDemand,
      double computeSpot,
      double storageSsd,
      double storageBlock,
      double storageObject) {
    this(computeOnDemand, computeSpot, storageSsd, storageBlock, storageObject, 0);
  }

  /** The sum, part by part. */
  public CostParts plus(CostParts o) {
    return new CostParts(
        computeOnDemand + o.computeOnDemand,
        computeSpot + o.computeSpot,
        storageSsd + o.storageSsd,
        storageBlock + o.storageBlock,
        storageObject + o.storageObject,
        network + o.network);
  }

  /** Compute: on-demand and spot nodes. */
  public double compute() {
    return computeOnDemand + computeSpot;
  }

  /** Storage: the SSD, block and object tiers. */
  public double storage() {
    return storageSsd + storageBlock + storageObject;
  }

  /** The parts scaled by {@code factor} (for example to a 30-day month). */
  public CostParts times(double factor) {
    return new CostParts(
        computeOnDemand * factor,
        computeSpot * factor,
        storageSsd * factor,
        storageBlock * factor,
        storageObject * factor,
        network * factor);
  }

  /** All parts together. */
  public double total() {
    return compute() + storage() + network;
  }
}
