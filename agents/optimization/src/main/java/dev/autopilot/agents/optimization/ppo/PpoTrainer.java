package dev.autopilot.agents.optimization.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.autopilot.agents.optimization.rl.Environment;
import dev.autopilot.api.model.ModelRuntime;
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
 * <p><b>Rollouts.</b> {@link #iterate} collects {@code rolloutSteps} transitions, sampling {@code
 * a = mean + std * N(0, 1)} in plain Java (the {@link PpoPolicy} forward, no native calls per
 * step) and sending the env the sample clamped to [-1, 1]; the log-probability is that of the raw
 * sample. States are normalised with a running mean and variance updated by every state seen and
 * frozen during the update. An episode still running when the rollout ends continues in the next
 * iteration if the same environment is passed again (the usual PPO practice: long episodes span
 * iterations); a different environment starts a new episode. Finished episodes are reset with the
 * next seed of {@code episodeSeeds}.
 *
 * <p><b>Update.</b> GAE advantages ({@link Gae}, no bootstrap past {@code done}, the critic's value
 * bootstraps a rollout cut mid-episode), normalised per minibatch; then {@code epochs} shuffled
 * passes of {@code minibatch}-sized Adam steps on {@code policyLoss + valueCoef * mse - entropyCoef
 * * entropy}, where the log-ratio {@code logp - oldLogp} is clamped to {@code +-logRatioClamp}
 * before {@code exp} (DESIGN.md section 8: an unclamped ratio overflows float and turns the loss
 * into NaN). No value clipping, no KL early stop, a fixed learning rate.
 *
 * <p>Ours, not the issue's: the gradient of each network (the actor with its log-std, and the
 * critic) is clipped to L2 norm {@code maxGradNorm} separately, because with separate networks a
 * joint norm would let the critic's large early gradients (returns of tens) shrink the actor's
 * step; Adam's epsilon is 1e-5 (as Stable-Baselines3's and CleanRL's PPO).
 *
 * <p><b>Why DJL.</b> The update runs on DJL's PyTorch engine: tensors, autograd through a {@link
 * GradientCollector} and DJL's fused Adam; no {@code Trainer} or {@code Block}, since the PPO loss
 * needs the actor, the log-std and the critic at once and {@code Nets.fit} is a supervised loop.
 * Parameters are {@code [in, out]} tensors used as {@code x.matMul(w) + b}, the layout {@link Mlp}
 * runs, so they copy to the plain-Java policy as they are after each update.
 *
 * <p><b>Determinism.</b> With the same seed, settings, environment and episode seeds the trainer
 * produces the same policy bytes: all randomness is Java's (seeded), and PyTorch's CPU kernels run
 * single-threaded here ({@code ModelRuntime} sets one intra-op thread).
 *
 * <p><b>One training at a time.</b> PyTorch allows one gradient collector per process. Updates of
 * all PPO trainers are serialised on one lock; {@code Nets}' fit lock is private to {@code
 * agents/api}, so a PPO update running beside a {@code Nets.fit} makes one of them fail with
 * DJL's "already collecting" {@link IllegalStateException} (it does not corrupt either): run
 * trainings one after the other.
 *
 * <p>Not thread-safe; blocking and CPU-heavy. Close it to free the native tensors. After an
 * exception from {@link #iterate} the trainer should be closed.
 */
public final class PpoTrainer implements AutoCloseable {

  private static final Object UPDATE_LOCK = new Object();
  private static final float ADAM_EPSILON = 1e-5f;
  private static final double ADV_EPS = 1e-8;

  private final PpoSettings settings;
  private final int stateSize;
  private final int actionSize;
  private final NDManager manager;
  private final List<NDArray> actorParams = new ArrayList<>(); // w0, b0, w1, b1, ...
  private final List<NDArray> criticParams = new ArrayList<>();
  private final NDArray logStd;
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

  /**
   * A fresh trainer with Xavier-initialised networks.
   *
   * @param stateSize length of a state vector (45 for the optimizer)
   * @param actionSize length of an action vector (8 for the optimizer)
   * @param seed seeds the initial weights, the exploration noise and the minibatch shuffling
   */
  public PpoTrainer(PpoSettings settings, int stateSize, int actionSize, long seed) {
    if (settings == null) {
      throw new IllegalArgumentException("PPO settings are required");
    }
    if (stateSize < 1 || actionSize < 1) {
      throw new IllegalArgumentException(
          "state and action sizes must be >= 1: " + stateSize + ", " + actionSize);
    }
    this.settings = settings;
    this.stateSize = stateSize;
    this.actionSize = actionSize;
    Random init = new Random(seed);
    int[] hidden = settings.hiddenArray();
    this.actor = Mlp.xavier(stateSize, hidden, actionSize, init);
    this.critic = Mlp.xavier(stateSize, hidden, 1, init);
    this.logStdJava = new float[actionSize];
    java.util.Arrays.fill(logStdJava, (float) settings.initialLogStd());
    this.sampling = new Random(init.nextLong());
    this.shuffling = new Random(init.nextLong());
    this.stats = new RunningStats(stateSize);

    ModelRuntime.configureOffline();
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    toTensors(actor, actorParams);
    toTensors(critic, criticParams);
    this.logStd = manager.create(logStdJava.clone());
    logStd.setRequiresGradient(true);
    this.adam =
        Optimizer.adam()
            .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
            .optEpsilon(ADAM_EPSILON)
            .build();
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
   * One iteration: collects {@code settings.rolloutSteps()} transitions from {@code env}
   * (resetting finished episodes with seeds from {@code episodeSeeds}), then the PPO update.
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
          "environment has states of " + env.stateSize() + " and actions of " + env.actionSize()
              + ", the trainer " + stateSize + " and " + actionSize);
    }
    long start = System.nanoTime();
    Rollout r = collect(env, episodeSeeds);
    Update u;
    synchronized (UPDATE_LOCK) {
      u = update(r);
    }
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

  /** An immutable plain-Java copy of the current networks and state normalisation. */
  public PpoPolicy policy() {
    return new PpoPolicy(stats.mean(), stats.var(), logStdJava, actor, critic);
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
        throw new IllegalStateException("environment returned a non-finite reward " + step.reward());
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
          "environment " + what + " returned a state of "
              + (s == null ? "null" : String.valueOf(s.length)) + " values, expected "
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
      float[] v = forward(criticParams, obs).toFloatArray();
      NDArray mean = forward(actorParams, obs).tanh();
      float[] lp = logProb(act, mean, logStd).toFloatArray();
      for (int t = 0; t < n; t++) {
        values[t] = v[t];
        oldLogp[t] = lp[t];
      }
      if (r.lastObs != null) {
        lastValue = forward(criticParams, m.create(r.lastObs, new Shape(1, stateSize))).getFloat();
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
            NDArray mean = forward(actorParams, x).tanh();
            NDArray value = forward(criticParams, x).reshape(b);
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
          List<NDArray> actorAll = new ArrayList<>(actorParams);
          actorAll.add(logStd);
          step("actor", actorAll);
          step("critic", criticParams);
        }
      }
    }
    actor = toMlp(actorParams);
    critic = toMlp(criticParams);
    logStdJava = logStd.toFloatArray();
    return new Update(
        policySum / batches,
        valueSum / batches,
        entropySum / batches,
        klSum / seen,
        (double) clipped / seen,
        explained);
  }

  /** Clips one network's gradient to the settings' norm, then one Adam step, then zeroes it. */
  private void step(String net, List<NDArray> params) {
    List<NDArray> grads = new ArrayList<>(params.size());
    double sumSq = 0;
    for (NDArray p : params) {
      NDArray g = p.getGradient();
      grads.add(g);
      try (NDArray sq = g.square(); NDArray s = sq.sum()) {
        sumSq += s.getFloat();
      }
    }
    double norm = Math.sqrt(sumSq);
    double max = settings.maxGradNorm();
    float scale = norm > max ? (float) (max / (norm + 1e-6)) : 1f;
    for (int i = 0; i < params.size(); i++) {
      NDArray g = grads.get(i);
      if (scale != 1f) {
        g.muli(scale);
      }
      adam.update(net + "." + i, params.get(i), g);
      g.subi(g);
      g.close();
    }
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
        policy
            .add(valueLoss.mul((float) s.valueCoef()))
            .sub(entropy.mul((float) s.entropyCoef()));
    return new Loss(total, policy, valueLoss, entropy, ratio, logRatio);
  }

  /** Row log-probabilities {@code [b]} of a diagonal Gaussian ({@link Gaussian#logProb}). */
  static NDArray logProb(NDArray act, NDArray mean, NDArray logStd) {
    NDArray z = act.sub(mean).div(ownedBy(logStd.exp(), act.getManager()));
    return z.square()
        .mul(-0.5f)
        .sub(logStd)
        .sub((float) Gaussian.HALF_LOG_2PI)
        .sum(new int[] {1});
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

  static NDArray forward(List<NDArray> params, NDArray x) {
    NDArray h = x;
    int layers = params.size() / 2;
    for (int i = 0; i < layers; i++) {
      h = h.matMul(params.get(2 * i)).add(params.get(2 * i + 1));
      if (i < layers - 1) {
        h = Activation.relu(h);
      }
    }
    return h;
  }

  private void toTensors(Mlp net, List<NDArray> out) {
    for (Mlp.Layer l : net.layers()) {
      NDArray w = manager.create(l.w().clone(), new Shape(l.in(), l.out()));
      NDArray b = manager.create(l.b().clone());
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      out.add(w);
      out.add(b);
    }
  }

  private static Mlp toMlp(List<NDArray> params) {
    List<Mlp.Layer> layers = new ArrayList<>();
    for (int i = 0; i < params.size(); i += 2) {
      NDArray w = params.get(i);
      int in = (int) w.getShape().get(0);
      int out = (int) w.getShape().get(1);
      layers.add(new Mlp.Layer(in, out, w.toFloatArray(), params.get(i + 1).toFloatArray()));
    }
    return new Mlp(layers);
  }

  /** The trainer's networks as tensors, for the tests: actor params, log-std, critic params. */
  NDList tensors() {
    NDList l = new NDList();
    actorParams.forEach(l::add);
    l.add(logStd);
    criticParams.forEach(l::add);
    return l;
  }

  List<NDArray> actorTensors() {
    return List.copyOf(actorParams);
  }

  List<NDArray> criticTensors() {
    return List.copyOf(criticParams);
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
