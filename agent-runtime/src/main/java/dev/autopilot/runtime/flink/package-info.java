/**
 * The Flink REST platform: drives a real Flink cluster (1.17 or later, adaptive scheduler) through
 * the JobManager's REST API, behind the {@link dev.autopilot.api.Platform} port (DESIGN.md section
 * 5).
 *
 * <ul>
 *   <li>{@link dev.autopilot.runtime.flink.FlinkRestPlatform}: observe, apply, recover (the action
 *       table is in its comment), savepoints; built by {@code create(settings, jobNames,
 *       launcher)}.
 *   <li>{@link dev.autopilot.runtime.flink.FlinkRestClient}: typed REST calls over {@code
 *       java.net.http}, HTTP failures mapped onto {@link dev.autopilot.api.PlatformException}
 *       kinds, safe calls retried under the shared bounded {@link dev.autopilot.api.retry.Retrier}.
 *   <li>{@link dev.autopilot.runtime.flink.FlinkSnapshotMapper}: pure mapping of REST answers onto
 *       snapshots (rates from counter differences, operator ids from vertex names, absent metrics).
 *   <li>{@link dev.autopilot.runtime.flink.FlinkJobLauncher}: the port that submits a pipeline's
 *       job; with it the platform owns the job and can stop, restart and resubmit it.
 *   <li>{@link dev.autopilot.runtime.flink.FlinkRestSettings}: {@code autopilot.flink-rest}.
 * </ul>
 */
package dev.autopilot.runtime.flink;
