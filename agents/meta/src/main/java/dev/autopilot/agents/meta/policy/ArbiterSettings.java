package dev.autopilot.agents.meta.policy;

/**
 * Knobs of the arbiter.
 *
 * @param admission the hard constraints
 * @param risk the risk rating thresholds
 * @param approvalRisk in approval mode, actions at or above this risk wait for approval
 * @param scaleDownMaxForecastUtilisation a scale-down is refused when a forecast surge would push
 *     the bottleneck operator's utilisation after the scale-down above this
 */
public record ArbiterSettings(
    AdmissionSettings admission,
    RiskSettings risk,
    Risk approvalRisk,
    double scaleDownMaxForecastUtilisation) {}
