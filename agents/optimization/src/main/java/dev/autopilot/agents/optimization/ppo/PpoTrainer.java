package dev.autopilot.agents.optimization.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.autopilot.agents.optimization.rl.Environment;
import dev.autopilot.api.model.ModelRuntime;
import dev.autopilot.api.model.Nets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Proximal policy optimization (Schulman et al. 2017, clipped surrogate) of a Gaussian actor and a
 * separate critic against an {@link Environment}.
 *
 * <p><b>Networks.</b> Actor and critic are both {@code stateSize}-hidden-... (256-128-64 by
 * default) with ReLU and Glorot/Xavier-uniform weights (zero biases); the actor ends in {@code
 * actionSize} tanh means and a learned state-independent log-std vector (initialised to the
 * settings' {@code initialLogStd}), the critic in one linear value. The weights are drawn in Java
 * from the trainer's seed, so initialisation does not depend on the engine's global generator.
 *
 * <p><b>Rollouts.</b> {@link #iterate} collects {@code rolloutSteps} transitions, sampling {@code a
 * = mean + std * N(0, 1)} in plain Java (the {@link PpoPolicy} forward, no native calls per step)
 * and sending the env the sample clamped to [-1, 1]; the log-probability is that of the raw sample.
 * States are normalised with a running mean and variance updated by every state seen and frozen
 * during the update. An episode still running when the rollout ends continues in the next iteration
 * if the same environment is passed again (the usual PPO practice: long episodes span iterations);
 * a different environment, or a call to {@link #endEpisode}, starts a new episode. Finished
 * episodes are reset with the next seed of {@code episodeSeeds}.
 *
 * <p><b>Update.</b> GAE advantages ({@link Gae}, no bootstrap past {@code done}, the critic's value
 * bootstraps a rollout cut mid-episode), normalised per minibatch; then {@code epochs} shuffled
 * passes of {@code minibatch}-sized Adam steps on {@code policyLoss + valueCoef * mse - entropyCoef
 * * entropy}, where the log-ratio {@code logp - oldLogp} is clamped to {@code +-logRatioClamp}
 * before {@code exp} (DESIGN.md section 8: an unclamped ratio can overflow float and turn the loss
 * and its gradient into infinities and NaN). No value clipping, no KL early stop, a fixed learning
 * rate.
 *
 * <p>Ours, not the issue's: the gradient of each network (the actor with its log-std, and the
 * critic) is clipped to L2 norm {@code maxGradNorm} separately, because with separate networks a
 * joint norm would let the critic's large early gradients (returns of tens) shrink the actor's
 * step; Adam's epsilon is 1e-5 (as Stable-Baselines3's and CleanRL's PPO).
 *
 * <p><b>Why DJL.</b> The update runs on DJL's PyTorch engine, the project's training stack:
 * tensors, autograd through a {@link GradientCollector} and DJL's fused Adam. There is no {@code
 * Trainer} or {@code Block}: the PPO loss needs the actor, the log-std and the critic at once, and
 * {@code Nets.fit} is a supervised loop. Each network is one flat parameter tensor ({@link
 * FlatNet}) whose slices are the {@code [in, out]} weights used as {@code x.matMul(w) + b}, the
 * layout {@link Mlp} runs, so the weights copy to the plain-Java policy as they are after each
 * update, and clipping, Adam and zeroing are one native call per network. A minibatch step of the
 * default networks costs about 2.5 ms of thread CPU here ({@code PpoBenchmark --cpu-time}): the
 * work is the matrix products of both 45-256-128-64 networks, forward and backward, on 32 rows; the
 * flat layout saved only about a tenth against one tensor per layer.
 *
 * <p><b>Determinism.</b> With the same seed, settings, environment and episode seeds the trainer
 * produces the same policy bytes: all randomness is Java's (seeded), and PyTorch's CPU kernels run
 * single-threaded here ({@code ModelRuntime} sets one intra-op thread).
 *
 * <p><b>One training at a time.</b> PyTorch allows one gradient collector per process: every
 * update runs under {@link Nets#exclusive}, the lock every {@code Nets.fit} of the process takes
 * too, so a PPO update and a supervised fit (the prediction agent's retraining, say) take turns.
 *
 * <p>Not thread-safe; blocking and CPU-heavy. Close it to free the native tensors. After an
 * exception from {@link #iterate} the trainer should be closed.
 */
public final class PpoTrainer implements AutoCloseable {

  private static final float ADAM_EPSILON = 1e-5f;
  private static final double ADV_EPS = 1e-8;

  private final PpoSettings settings;
  private final int stateSize;
  private final int actionSize;
  private final NDManager manager;
  private final FlatNet actorNet; // the actor's layers, then the log-std
  private final FlatNet criticNet;
  private final Optimizer adam;
  private final Random sampling;
  private final Random shuffling;
  private final RunningStats stats;

  private Mlp actor;
  private Mlp critic;
  private float[] logStdJava;
  private Environment currentEnv;
  private double[] pendingState; // raw, already merged into stats; null: reset next
  private int iteration;
  private boolean closed;
  private long lastUpdateNanos;

  /**
   * A fresh trainer with Xavier-initialised networks.
   *
   * @param stateSize length of a state vector (45 for the optimizer)
   * @param actionSize length of an action vector (8 for the optimizer)
   * @param seed seeds the initial weights, the exploration noise and the minibatch shuffling
   */
  public PpoTrainer(PpoSettings settings, int stateSize, int actionSize, long seed) {
    this(checked(settings, stateSize, actionSize), null, new Random(seed), stateSize, actionSize);
  }

  /**
   * A trainer that continues from a trained policy: its networks, log-std and state normalisation
   * (with the weight of the states it has seen). Adam's moments start afresh.
   *
   * @param seed seeds the exploration noise and the minibatch shuffling
   * @throws IllegalArgumentException when the policy's hidden layers differ from the settings'
   */
  public PpoTrainer(PpoSettings settings, PpoPolicy start, long seed) {
    this(
        checked(settings, start.stateSize(), start.actionSize()),
        start,
        new Random(seed),
        start.stateSize(),
        start.actionSize());
  }

  private PpoTrainer(
      PpoSettings settings, PpoPolicy start, Random init, int stateSize, int actionSize) {
    if (start != null && !start.hidden().equals(settings.hidden())) {
      throw new IllegalArgumentException(
          "the policy has hidden layers " + start.hidden() + ", the settings " + settings.hidden());
    }
    this.settings = settings;
    this.stateSize = stateSize;
    this.actionSize = actionSize;
    if (start == null) {
      int[] hidden = settings.hiddenArray();
      this.actor = Mlp.xavier(stateSize, hidden, actionSize, init);
      this.critic = Mlp.xavier(stateSize, hidden, 1, init);
      this.logStdJava = new float[actionSize];
      java.util.Arrays.fill(logStdJava, (float) settings.initialLogStd());
      this.stats = new RunningStats(stateSize);
    } else {
      this.actor = start.actor();
      this.critic = start.critic();
      this.logStdJava = new float[actionSize];
      double[] l = start.logStd();
      for (int i = 0; i < actionSize; i++) {
        logStdJava[i] = (float) l[i];
      }
      this.stats = new RunningStats(start.obsMean(), start.obsVar(), start.obsCount());
    }
    this.sampling = new Random(init.nextLong());
    this.shuffling = new Random(init.nextLong());

    ModelRuntime.configureOffline();
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    this.actorNet = new FlatNet("actor", actor, logStdJava, manager);
    this.criticNet = new FlatNet("critic", critic, new float[0], manager);
    this.adam =
        Optimizer.adam()
            .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
            .optEpsilon(ADAM_EPSILON)
            .build();
  }

  private static PpoSettings checked(PpoSettings settings, int stateSize, int actionSize) {
    if (settings == null) {
      throw new IllegalArgumentException("PPO settings are required");
    }
    if (stateSize < 1 || actionSize < 1) {
      throw new IllegalArgumentException(
          "state and action sizes must be >= 1: " + stateSize + ", " + actionSize);
    }
    return settings;
  }

  /** The settings this trainer runs. */
  public PpoSettings settings() {
    return settings;
  }

  /** Iterations run so far. */
  public int iterations() {
    return iteration;
  }

  /**
   * One iteration: collects {@code settings.rolloutSteps()} transitions from {@code env} (resetting
   * finished episodes with seeds from {@code episodeSeeds}), then the PPO update.
   *
   * @throws IllegalArgumentException when the environment's sizes differ from the trainer's
   * @throws IllegalStateException when the environment returns a state of the wrong length or a
   *     non-finite state or reward, or the loss becomes non-finite
   */
  public IterationStats iterate(Environment env, LongSupplier episodeSeeds) {
    if (closed) {
      throw new IllegalStateException("the PPO trainer is closed");
    }
    if (env.stateSize() != stateSize || env.actionSize() != actionSize) {
      throw new IllegalArgumentException(
          "environment has states of "
              + env.stateSize()
              + " and actions of "
              + env.actionSize()
              + ", the trainer "
              + stateSize
              + " and "
              + actionSize);
    }
    long start = System.nanoTime();
    Rollout r = collect(env, episodeSeeds);
    Update u;
    long updateStart = System.nanoTime();
    u = Nets.exclusive(() -> update(r));
    lastUpdateNanos = System.nanoTime() - updateStart;
    iteration++;
    int n = r.steps;
    return new IterationStats(
        iteration,
        n,
        r.episodes,
        r.rewardSum / n,
        r.throughputSum / n,
        (double) r.compliantSteps / n,
        r.efficiencySum / n,
        r.cpuSum / n,
        u.policyLoss,
        u.valueLoss,
        u.entropy,
        u.approxKl,
        u.clipFraction,
        u.explainedVariance,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * Makes the next {@link #iterate} start a new episode (with a reset) instead of continuing the
   * one the last rollout left running. Call it after using the environment for anything else
   * between iterations (an evaluation, a reset): the trainer would otherwise continue from the
   * state it last saw.
   */
  public void endEpisode() {
    pendingState = null;
  }

  /** Wall-clock seconds of the last iteration's update (the rest is the rollout). */
  double lastUpdateSeconds() {
    return lastUpdateNanos / 1e9;
  }

  /** An immutable plain-Java copy of the current networks and state normalisation. */
  public PpoPolicy policy() {
    return new PpoPolicy(stats.mean(), stats.var(), stats.count(), logStdJava, actor, critic);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  // ---------------------------------------------------------------- rollout

  private static final class Rollout {
    final int steps;
    final float[][] obs;
    final float[][] actions;
    final double[] rewards;
    final boolean[] dones;
    float[] lastObs; // null when the last step ended its episode
    int episodes;
    double rewardSum;
    double throughputSum;
    int compliantSteps;
    double efficiencySum;
    double cpuSum;

    Rollout(int steps, int actionSize) {
      this.steps = steps;
      this.obs = new float[steps][];
      this.actions = new float[steps][actionSize];
      this.rewards = new double[steps];
      this.dones = new boolean[steps];
    }
  }

  private Rollout collect(Environment env, LongSupplier episodeSeeds) {
    if (env != currentEnv) {
      currentEnv = env;
      pendingState = null;
    }
    int n = settings.rolloutSteps();
    Rollout r = new Rollout(n, actionSize);
    double[] std = new double[actionSize];
    for (int i = 0; i < actionSize; i++) {
      std[i] = Math.exp(logStdJava[i]);
    }
    double[] clamped = new double[actionSize];
    for (int t = 0; t < n; t++) {
      if (pendingState == null) {
        double[] s = env.reset(episodeSeeds.getAsLong());
        checkState(s, "reset");
        stats.update(s);
        pendingState = s;
      }
      float[] z = stats.normalize(pendingState);
      float[] out = actor.forward(z);
      for (int i = 0; i < actionSize; i++) {
        double a = Math.tanh(out[i]) + std[i] * sampling.nextGaussian();
        r.actions[t][i] = (float) a;
        clamped[i] = Math.max(-1, Math.min(1, a));
      }
      Environment.Step step = env.step(clamped.clone());
      if (!Double.isFinite(step.reward())) {
        throw new IllegalStateException(
            "environment returned a non-finite reward " + step.reward());
      }
      r.obs[t] = z;
      r.rewards[t] = step.reward();
      r.dones[t] = step.done();
      r.rewardSum += step.reward();
      Environment.StepInfo info = step.info();
      if (info != null) {
        r.throughputSum += info.throughputAchievement();
        r.compliantSteps += info.latencyCompliant() ? 1 : 0;
        r.efficiencySum += info.resourceEfficiency();
        r.cpuSum += info.cpuUtilisation();
      }
      if (step.done()) {
        r.episodes++;
        pendingState = null;
      } else {
        checkState(step.state(), "step");
        stats.update(step.state());
        pendingState = step.state();
      }
    }
    r.lastObs = pendingState == null ? null : stats.normalize(pendingState);
    return r;
  }

  private void checkState(double[] s, String what) {
    if (s == null || s.length != stateSize) {
      throw new IllegalStateException(
          "environment "
              + what
              + " returned a state of "
              + (s == null ? "null" : String.valueOf(s.length))
              + " values, expected "
              + stateSize);
    }
    for (int i = 0; i < s.length; i++) {
      if (!Double.isFinite(s[i])) {
        throw new IllegalStateException(
            "environment " + what + " returned a non-finite state[" + i + "] = " + s[i]);
      }
    }
  }

  // ---------------------------------------------------------------- update

  private record Update(
      double policyLoss,
      double valueLoss,
      double entropy,
      double approxKl,
      double clipFraction,
      double explainedVariance) {}

  private Update update(Rollout r) {
    int n = r.steps;
    double[] values = new double[n];
    double[] oldLogp = new double[n];
    double lastValue = 0;
    try (NDManager m = manager.newSubManager()) {
      NDArray obs = m.create(flatten(r.obs, stateSize), new Shape(n, stateSize));
      NDArray act = m.create(flatten(r.actions, actionSize), new Shape(n, actionSize));
      float[] v = criticNet.forward(obs).toFloatArray();
      NDArray mean = actorNet.forward(obs).tanh();
      float[] lp = logProb(act, mean, actorNet.extra(m)).toFloatArray();
      for (int t = 0; t < n; t++) {
        values[t] = v[t];
        oldLogp[t] = lp[t];
      }
      if (r.lastObs != null) {
        lastValue = criticNet.forward(m.create(r.lastObs, new Shape(1, stateSize))).getFloat();
      }
    }
    Gae.Result gae =
        Gae.compute(r.rewards, values, r.dones, lastValue, settings.gamma(), settings.gaeLambda());
    double explained = explainedVariance(values, gae.returns());

    int mb = settings.minibatch();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double policySum = 0;
    double valueSum = 0;
    double entropySum = 0;
    double klSum = 0;
    long clipped = 0;
    long seen = 0;
    int batches = 0;
    Engine engine = manager.getEngine();
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      shuffle(order);
      for (int from = 0; from < n; from += mb) {
        int b = Math.min(mb, n - from);
        float[] xs = new float[b * stateSize];
        float[] as = new float[b * actionSize];
        float[] olp = new float[b];
        float[] adv = new float[b];
        float[] ret = new float[b];
        double advMean = 0;
        for (int i = 0; i < b; i++) {
          int t = order[from + i];
          System.arraycopy(r.obs[t], 0, xs, i * stateSize, stateSize);
          System.arraycopy(r.actions[t], 0, as, i * actionSize, actionSize);
          olp[i] = (float) oldLogp[t];
          ret[i] = (float) gae.returns()[t];
          advMean += gae.advantages()[t];
        }
        advMean /= b;
        double advVar = 0;
        for (int i = 0; i < b; i++) {
          double d = gae.advantages()[order[from + i]] - advMean;
          advVar += d * d;
        }
        double advStd = b > 1 ? Math.sqrt(advVar / (b - 1)) : 1;
        for (int i = 0; i < b; i++) {
          adv[i] = (float) ((gae.advantages()[order[from + i]] - advMean) / (advStd + ADV_EPS));
        }
        try (NDManager m = manager.newSubManager()) {
          NDArray x = m.create(xs, new Shape(b, stateSize));
          NDArray a = m.create(as, new Shape(b, actionSize));
          NDArray oldLp = m.create(olp);
          NDArray advantages = m.create(adv);
          NDArray returns = m.create(ret);
          float[] ratio;
          float[] logRatio;
          try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray mean = actorNet.forward(x).tanh();
            NDArray value = criticNet.forward(x).reshape(b);
            NDArray logStd = actorNet.extra(m);
            Loss loss = loss(mean, logStd, value, a, oldLp, advantages, returns, settings);
            float total = loss.total.getFloat();
            if (!Float.isFinite(total)) {
              throw new IllegalStateException(
                  "PPO loss is not finite (" + total + ") in iteration " + (iteration + 1));
            }
            gc.backward(loss.total);
            policySum += loss.policy.getFloat();
            valueSum += loss.value.getFloat();
            entropySum += loss.entropy.getFloat();
            ratio = loss.ratio.toFloatArray();
            logRatio = loss.logRatio.toFloatArray();
          }
          for (int i = 0; i < b; i++) {
            klSum += (ratio[i] - 1) - logRatio[i];
            if (Math.abs(ratio[i] - 1) > settings.clip()) {
              clipped++;
            }
          }
          seen += b;
          batches++;
          step(actorNet);
          step(criticNet);
        }
      }
    }
    float[] a = actorNet.theta.toFloatArray();
    actor = actorNet.toMlp(a);
    logStdJava = actorNet.extra(a);
    critic = criticNet.toMlp(criticNet.theta.toFloatArray());
    return new Update(
        policySum / batches,
        valueSum / batches,
        entropySum / batches,
        klSum / seen,
        (double) clipped / seen,
        explained);
  }

  /** Clips one network's gradient to the settings' norm, then one Adam step, then zeroes it. */
  private void step(FlatNet net) {
    NDArray g = net.theta.getGradient();
    double norm;
    try (NDArray n = g.norm()) {
      norm = n.getFloat();
    }
    double max = settings.maxGradNorm();
    if (norm > max) {
      g.muli((float) (max / (norm + 1e-6)));
    }
    adam.update(net.id, net.theta, g);
    g.subi(g);
    g.close();
  }

  // ---------------------------------------------------------------- the loss

  /** The PPO loss and its parts (package-private for the tests). */
  record Loss(
      NDArray total,
      NDArray policy,
      NDArray value,
      NDArray entropy,
      NDArray ratio,
      NDArray logRatio) {}

  /**
   * The PPO loss of one minibatch.
   *
   * @param mean the actor's tanh means, {@code [b, A]}
   * @param logStd the log-std vector, {@code [A]}
   * @param value the critic's values, {@code [b]}
   * @param act the raw sampled actions, {@code [b, A]}
   * @param oldLogp their log-probabilities under the rollout's policy, {@code [b]}
   * @param adv the (normalised) advantages, {@code [b]}
   * @param ret the returns, {@code [b]}
   */
  static Loss loss(
      NDArray mean,
      NDArray logStd,
      NDArray value,
      NDArray act,
      NDArray oldLogp,
      NDArray adv,
      NDArray ret,
      PpoSettings s) {
    NDArray logp = logProb(act, mean, logStd);
    float c = (float) s.logRatioClamp();
    NDArray logRatio = logp.sub(oldLogp).clip(-c, c);
    NDArray ratio = logRatio.exp();
    float eps = (float) s.clip();
    NDArray surr1 = ratio.mul(adv);
    NDArray surr2 = ratio.clip(1 - eps, 1 + eps).mul(adv);
    NDArray policy = surr1.minimum(surr2).mean().neg();
    NDArray valueLoss = value.sub(ret).square().mean();
    long a = logStd.getShape().get(0);
    NDArray entropy =
        ownedBy(logStd.sum(), mean.getManager()).add((float) (a * (0.5 + Gaussian.HALF_LOG_2PI)));
    NDArray total =
        policy.add(valueLoss.mul((float) s.valueCoef())).sub(entropy.mul((float) s.entropyCoef()));
    return new Loss(total, policy, valueLoss, entropy, ratio, logRatio);
  }

  /** Row log-probabilities {@code [b]} of a diagonal Gaussian ({@link Gaussian#logProb}). */
  static NDArray logProb(NDArray act, NDArray mean, NDArray logStd) {
    NDArray z = act.sub(mean).div(ownedBy(logStd.exp(), act.getManager()));
    return z.square().mul(-0.5f).sub(logStd).sub((float) Gaussian.HALF_LOG_2PI).sum(new int[] {1});
  }

  // ---------------------------------------------------------------- tensors

  /**
   * Moves a result computed from a long-lived tensor (the log-std) to the minibatch's manager, so
   * that it is freed with the minibatch (DJL attaches a result to its first operand's manager).
   */
  private static NDArray ownedBy(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  /**
   * A network's parameters as one flat tensor (layer by layer: the {@code [in, out]} weights, then
   * the biases; then any extra values, the actor's log-std), so that the gradient norm, the Adam
   * step and the zeroing are one native call each rather than one per layer. The forward pass
   * slices views of it, through which autograd reaches the flat gradient.
   */
  static final class FlatNet {
    final String id;
    final int[] dims; // inputs, hidden widths..., outputs
    final int extra;
    final int extraOffset;
    final NDArray theta;

    FlatNet(String id, Mlp net, float[] extraValues, NDManager m) {
      this.id = id;
      List<Mlp.Layer> layers = net.layers();
      this.dims = new int[layers.size() + 1];
      dims[0] = net.inputs();
      int size = 0;
      for (int i = 0; i < layers.size(); i++) {
        dims[i + 1] = layers.get(i).out();
        size += layers.get(i).w().length + layers.get(i).out();
      }
      this.extraOffset = size;
      this.extra = extraValues.length;
      float[] flat = new float[size + extra];
      int off = 0;
      for (Mlp.Layer l : layers) {
        System.arraycopy(l.w(), 0, flat, off, l.w().length);
        off += l.w().length;
        System.arraycopy(l.b(), 0, flat, off, l.out());
        off += l.out();
      }
      System.arraycopy(extraValues, 0, flat, off, extra);
      this.theta = m.create(flat);
      theta.setRequiresGradient(true);
    }

    /** The last layer's (linear) outputs {@code [b, out]} of rows {@code x [b, in]}. */
    NDArray forward(NDArray x) {
      NDManager m = x.getManager();
      NDArray h = x;
      int off = 0;
      int layers = dims.length - 1;
      for (int i = 0; i < layers; i++) {
        int in = dims[i];
        int out = dims[i + 1];
        NDArray w = slice(m, off, in * out).reshape(in, out);
        off += in * out;
        NDArray b = slice(m, off, out);
        off += out;
        h = h.matMul(w).add(b);
        if (i < layers - 1) {
          h = Activation.relu(h);
        }
      }
      return h;
    }

    /** The extra values (a view, attached to {@code m}). */
    NDArray extra(NDManager m) {
      return slice(m, extraOffset, extra);
    }

    private NDArray slice(NDManager m, int from, int n) {
      return ownedBy(theta.get(new NDIndex().addSliceDim(from, from + n)), m);
    }

    /** The layers in {@code flat} (a copy of theta) as a plain-Java network. */
    Mlp toMlp(float[] flat) {
      List<Mlp.Layer> layers = new ArrayList<>();
      int off = 0;
      for (int i = 0; i < dims.length - 1; i++) {
        int in = dims[i];
        int out = dims[i + 1];
        float[] w = java.util.Arrays.copyOfRange(flat, off, off + in * out);
        off += in * out;
        float[] b = java.util.Arrays.copyOfRange(flat, off, off + out);
        off += out;
        layers.add(new Mlp.Layer(in, out, w, b));
      }
      return new Mlp(layers);
    }

    float[] extra(float[] flat) {
      return java.util.Arrays.copyOfRange(flat, extraOffset, extraOffset + extra);
    }
  }

  /** The actor's tanh means of normalised rows (for the tests). */
  NDArray actorMeans(NDArray x) {
    return actorNet.forward(x).tanh();
  }

  /** The critic's values of normalised rows (for the tests). */
  NDArray criticValues(NDArray x) {
    return criticNet.forward(x);
  }

  /** The flat parameter tensors (for the tests). */
  NDList tensors() {
    return new NDList(actorNet.theta, criticNet.theta);
  }

  NDManager manager() {
    return manager;
  }

  private static float[] flatten(float[][] rows, int width) {
    float[] f = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, f, i * width, width);
    }
    return f;
  }

  private void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = shuffling.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  static double explainedVariance(double[] values, double[] returns) {
    int n = values.length;
    double mr = 0;
    double md = 0;
    for (int i = 0; i < n; i++) {
      mr += returns[i];
      md += returns[i] - values[i];
    }
    mr /= n;
    md /= n;
    double vr = 0;
    double vd = 0;
    for (int i = 0; i < n; i++) {
      double r = returns[i] - mr;
      double d = returns[i] - values[i] - md;
      vr += r * r;
      vd += d * d;
    }
    return vr == 0 ? Double.NaN : 1 - vd / vr;
  }
}
