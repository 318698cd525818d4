/**
 * The SimulatedPlatform: a deterministic, analytic digital twin of Flink pipelines on a Kubernetes
 * node pool (DESIGN.md section 5), behind the {@link dev.autopilot.api.Platform} port.
 *
 * <h2>Classes</h2>
 *
 * <ul>
 *   <li>{@link dev.autopilot.runtime.sim.SimulatedPlatform}: the facade (observe / apply / recover,
 *       {@code advance()}, ground truth, fault injection); all methods synchronized.
 *   <li>{@link dev.autopilot.runtime.sim.Scenario}: seed, days, pipelines, workload, fault schedule.
 *   <li>{@link dev.autopilot.runtime.sim.Workload}, {@link
 *       dev.autopilot.runtime.sim.GeneratedWorkload}, {@link dev.autopilot.runtime.sim.CsvWorkload}:
 *       offered load per tick.
 *   <li>{@link dev.autopilot.runtime.sim.FaultCatalogue}, {@link
 *       dev.autopilot.runtime.sim.FaultSchedule}, {@link dev.autopilot.runtime.sim.Fault}: the 15
 *       failure modes (cause, signature, fixes, self-healing, cascades), the planned faults, and
 *       their ground truth.
 *   <li>{@code Cluster}: nodes (on-demand, spot), pod placement, cluster autoscaling.
 *   <li>{@code CostModel}: node cost shares and checkpoint storage tiers.
 *   <li>{@code PipelineModel}: the per-pipeline physics, fault injection and cascades, and the
 *       effect of actions; {@code FaultEffects}: how the active faults bend the physics and the
 *       signature metrics; {@code ActiveFault}: a fault's run-time state.
 *   <li>{@code TickResult}: what one tick produced, per operator and per TaskManager.
 *   <li>{@code TelemetrySynthesizer}: the 162-metric snapshot with seeded noise.
 *   <li>{@link dev.autopilot.runtime.sim.GroundTruth}: what the benchmark scores against; never in
 *       a snapshot.
 *   <li>{@link dev.autopilot.runtime.sim.SimSettings}: every knob, from {@code
 *       autopilot.simulation} in this module's {@code reference.conf}.
 * </ul>
 *
 * <h2>The model (one tick = 10 s of event time, fluid, not per record)</h2>
 *
 * <ul>
 *   <li><b>Job graph.</b> 8 operators in a chain ({@code source, parse, enrich, filter, transform,
 *       window-agg, session-agg, sink}), each with a CPU cost per record, a selectivity, keyed state
 *       written per record and its retention, a record size and heap allocated per record. Rates are
 *       kept in source-record units internally; operator i sees the product of the upstream
 *       selectivities.
 *   <li><b>Placement and capacity.</b> Slot sharing: the job needs max(parallelism) slots; those
 *       slots are spread in contiguous blocks over the running TaskManagers and subtask m of an
 *       operator of parallelism p sits in slot floor(m * S / p). A TaskManager's cores (minus GC
 *       time, minus a noisy neighbour) are shared by its subtasks. The pipeline's capacity is the
 *       smaller of (a) the CPU bound, min over TaskManagers of cores / CPU demand per source record,
 *       and (b) each operator's thread bound p * 10^6 / (cost * share of records), divided by the
 *       hot-key share under data skew. Faults scale an operator's or a TaskManager's speed.
 *   <li><b>Queues and backpressure.</b> Each operator has an input buffer of network-buffer memory
 *       (per TaskManager, split over the 7 exchanges) / record size. A forward pass pushes the
 *       readable backlog through the capacities; a backward pass throttles every operator whose
 *       downstream buffer would overflow, down to the source, whose unread records are the
 *       consumer lag. Busy time: the busiest thread of a TaskManager is busy w / s(U), with w its
 *       CPU work and s(U) = 1 / (1 + U^2 (threads / cores - 1)) the share a thread gets at
 *       utilisation U; other threads are busy in proportion to their work; an operator limited by
 *       its own threads is busy at its own utilisation. A blocked operator spends the rest of its
 *       time backpressured, otherwise idle, so busy + backpressured + idle = 1000 ms/s.
 *   <li><b>Latency.</b> p99 = base + congestion-ms * rho / (1 - rho) (rho the bottleneck
 *       utilisation, capped) + time in the input buffers + backlog age (lag / offered rate) + GC
 *       pause p99 + checkpoint alignment (when it takes more than 1 % of the interval) + fault
 *       terms (partition, external timeouts).
 *   <li><b>State and checkpoints.</b> Keyed state grows by records * bytes and decays with its
 *       retention (steady state rate * bytes * retention; the run starts at that steady state).
 *       A checkpoint every interval lasts base + start delay and alignment (from buffered in-flight
 *       data, so backpressure lengthens it) + synchronous snapshot (state / snapshot bandwidth) +
 *       asynchronous upload (state written since the last one plus in-flight data / upload
 *       bandwidth); it fails at the timeout. A restart rewinds the sources to the latest completed
 *       checkpoint (its data is replayed) and restores state at the restore bandwidth.
 *   <li><b>Heap and GC.</b> Live heap = base + in-flight records + leaked bytes; young collections
 *       from the allocation rate, old collections rise quadratically above the onset occupancy; GC
 *       time takes CPU away; the pod is OOM-killed at the OOM occupancy.
 *   <li><b>Cluster and cost.</b> Nodes of 32 cores / 128 GB (minus reserved), pods of 4 cores /
 *       16 GB, least-allocated placement; a pod that fits nowhere provisions a node (3-5 min), then
 *       starts (45-75 s); empty nodes go after an idle period. The first nodes are on-demand, then a
 *       share is spot. A pipeline pays the share of each node its pods request plus an equal share
 *       of the idle capacity, plus hot (retained checkpoints) and cold (daily savepoints) storage.
 *   <li><b>Actions.</b> {@code apply} reconciles declaratively (UNCHANGED when equal); a change of
 *       parallelism, TaskManagers, resources or buffers restarts the job from checkpoint (10-15 s
 *       plus restore), after new pods are ready; a checkpoint interval alone applies without a
 *       restart. {@code recover} runs each action id once, with the latencies of {@code
 *       autopilot.simulation.actions}; a fault is resolved when an action that the catalogue lists
 *       for it takes effect ({@link dev.autopilot.runtime.sim.FaultCatalogue#entry}).
 *   <li><b>Faults.</b> Signatures ramp in over {@code ramp-ticks}, carry the telemetry noise, and
 *       target one operator or one node (node faults act on the injecting pipeline's TaskManagers on
 *       that node; an infrastructure failure also marks the node NotReady for scheduling).
 * </ul>
 *
 * <h2>Determinism</h2>
 *
 * Every random stream derives from the scenario seed with {@link java.util.SplittableRandom}: one
 * per pipeline for physics and action latencies, one for the cluster; telemetry noise is drawn
 * from a stream seeded by (pipeline, tick), so observing does not disturb the run and observing
 * twice in a tick gives the same snapshot. There is no wall clock.
 *
 * <h2>Speed</h2>
 *
 * {@code SimulatorBenchmark} (JMH, test sources) measures ticks per second of {@code advance()} +
 * {@code observe()} for one pipeline. From the repository root:
 *
 * <pre>
 * mvn -B -q -o -pl agent-runtime -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/sim-cp.txt -Dmdep.includeScope=test
 * java -cp agent-runtime/target/test-classes:agent-runtime/target/classes:$(cat /tmp/sim-cp.txt) \
 *     org.openjdk.jmh.Main SimulatorBenchmark -wi 3 -w 3s -i 5 -r 5s -f 1
 * </pre>
 *
 * <h2>Calibration (default settings)</h2>
 *
 * <ul>
 *   <li>The initial configuration (8 TaskManagers, 32 slots, parallelism 8-32) has a capacity of
 *       about 1.49M events/s: the 850k average runs at about 57 % CPU with p99 about 100 ms, a
 *       weekday peak (about 1.1M) at about 110 ms, while weekend peaks, special events and
 *       month-end exceed it.
 *   <li>At 2M events/s the lag grows by about 0.5M events/s, enrich (the heaviest operator) is
 *       busy, source and parse are backpressured, and p99 passes 5 s within two minutes; halving
 *       the configuration violates a 500 ms p99 SLA within a few ticks.
 *   <li>Checkpoints take 2-6 s (about 50 GB of state at the average load), the timeout is 120 s.
 *   <li>Each fault of the catalogue cuts throughput or raises latency visibly (for example a
 *       noisy neighbour leaves about a quarter of the capacity, a network partition about 30 %),
 *       apart from a checkpoint timeout at moderate load, which shows in checkpoints and latency.
 * </ul>
 */
package dev.autopilot.runtime.sim;
