package dev.autopilot.agents.optimization.placement;

import java.util.Objects;

/**
 * A pod to place.
 *
 * @param id pod id (unique within one batch)
 * @param demand what it requests
 */
public record PodRequest(String id, Resources demand) {
  public PodRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(demand, "demand");
  }
}
