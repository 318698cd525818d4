package dev.autopilot.agents.prediction;

import dev.autopilot.agents.prediction.learn.ContinuousLearner;
import dev.autopilot.agents.prediction.learn.LearningSettings;
import dev.autopilot.agents.prediction.learn.LiveLabeler;
import dev.autopilot.agents.prediction.learn.TrainingJob;
import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.policy.LearnedPreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScaler;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.agents.prediction.policy.ProposalHistory;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.persistence.JournalRecovery;
import dev.autopilot.persistence.JsonSerializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The prediction agent of one pipeline: proposes a pre-scale before demand outgrows the capacity,
 * with the policy chosen by {@code autopilot.prediction.policy} ({@link PreScalers}): the learned
 * violation model with a demand forecaster, or Holt's linear trend ({@link PreScalePolicy}).
 * Sharded per pipeline under {@link #ENTITY_TYPE_KEY}, persistence id {@code
 * prediction|<pipeline>}.
 *
 * <p>With a learned forecaster wired in ({@link PredictionModels}), every tick is also scored by
 * the current {@link ViolationModel}: the probability and the model version go into the tick's
 * {@link Diagnostics} (a vote named {@code violation-model-v<N>}, {@code anomalyScore} = the
 * probability, {@code anomaly} = probability ≥ threshold) and into the evidence of every proposal.
 * With learning enabled the agent labels each tick 30 ticks later ({@link LiveLabeler}, {@link
 * ContinuousLearner}), retrains periodically on the {@code
 * autopilot.prediction.learning.dispatcher} (off the message loop, result back with {@code
 * pipeToSelf}) and promotes a candidate only when it beats the current model on the recent
 * validation window ({@link TrainingJob}).
 *
 * <p>Cold start ({@code autopilot.prediction.models.start = cold}: learning parts but no release
 * model): until a first model is promoted, the Holt baseline decides the pre-scales and its binary
 * forecast is the tick's diagnostics (the vote {@link #BASELINE_VOTE}) and the "current model" a
 * candidate must beat on the validation window; trainings are attempted every {@code
 * cold-retrain-interval-ticks} until then.
 *
 * <p>Journaled: every proposal ({@link PreScaleProposed}, with the model version and probability),
 * every outcome reported back for one ({@link OutcomeRecorded}), every promotion ({@link
 * ModelPromoted}, which embeds the model's bytes so that it survives a restart or a node loss),
 * rejected candidate ({@link ModelRejected}), failed training ({@link TrainingFailed}), and a
 * promoted model that could not be restored ({@link ModelFallback}); {@link State} is rebuilt from
 * them only. Not journaled: the Holt level and trend, the load estimator's last rates, the feature
 * window and the learner's labelled buffers. They are working memory, rebuilt from telemetry after
 * a restart.
 *
 * <p>Bad input never fails the entity: an Evaluate with an invalid snapshot or for another pipeline
 * is answered with empty proposals, an outcome for a proposal of another agent or pipeline is
 * ignored, a model or trainer that throws is logged (and a failed training journaled) and the
 * entity goes on with what it has.
 */
public final class PredictionAgent
    extends EventSourcedBehaviorWithEnforcedReplies<
        AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State> {

  public static final EntityTypeKey<AgentProtocol.Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(AgentProtocol.Command.class, AgentKind.PREDICTION.entityTypeName());

  /** Prefix of the diagnostics vote that carries the model's probability. */
  public static final String MODEL_VOTE_PREFIX = "violation-model-v";

  /**
   * The diagnostics vote of a cold-started agent while no model is promoted yet: the Holt
   * baseline's binary forecast ({@link
   * dev.autopilot.agents.prediction.policy.PreScalePolicy#forecastAlarmAt}; score 1 at an alarm,
   * else 0).
   */
  public static final String BASELINE_VOTE = "violation-baseline-holt";

  /** Asks for the entity's current state. */
  public record GetState(ActorRef<State> replyTo) implements AgentProtocol.Command {}

  /** A training finished (internal; never crosses the network, so not serialization-checked). */
  private record TrainingFinished(
      long startedTick, int version, TrainingJob.Result result, Throwable failure)
      implements AgentProtocol.Command, NoSerializationVerificationNeeded {}

  /** Journaled events of the prediction agent. */
  public sealed interface Event extends AuditEvent
      permits PreScaleProposed,
          OutcomeRecorded,
          ModelPromoted,
          ModelRejected,
          TrainingFailed,
          ModelFallback {}

  /**
   * A pre-scale was proposed.
   *
   * @param pipelineId the pipeline
   * @param tick the tick it was proposed at
   * @param proposal the proposal as replied
   * @param modelVersion version of the violation model that scored the tick, null without one (and
   *     in events journaled before models existed)
   * @param probability the model's violation probability at the tick, null without a model
   */
  public record PreScaleProposed(
      String pipelineId, long tick, Proposal proposal, Integer modelVersion, Double probability)
      implements Event {

    /** A proposal made without a model. */
    public PreScaleProposed(String pipelineId, long tick, Proposal proposal) {
      this(pipelineId, tick, proposal, null, null);
    }

    @Override
    public String summary() {
      return "prediction proposed "
          + proposal.id()
          + ": "
          + proposal.action().describe()
          + " ("
          + proposal.cause()
          + ")"
          + (modelVersion == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  " [model v%d, p=%.3f]",
                  modelVersion,
                  probability == null ? Double.NaN : probability));
    }
  }

  /**
   * The outcome of one of this agent's proposals became known.
   *
   * @param pipelineId the pipeline
   * @param tick the tick the outcome became known
   * @param proposalId the proposal
   * @param outcome what became of it
   * @param detail human-readable detail
   */
  public record OutcomeRecorded(
      String pipelineId,
      long tick,
      String proposalId,
      AgentProtocol.OutcomeKind outcome,
      String detail)
      implements Event {
    @Override
    public String summary() {
      return "prediction proposal "
          + proposalId
          + " "
          + outcome
          + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /**
   * A retrained model replaced the current one: it beat it on the recent validation window. The
   * model's bytes are embedded (Jackson writes them as base64), so the entity restores the same
   * version after a restart or on another node; {@code sha256} checks them.
   *
   * @param pipelineId the pipeline
   * @param tick the tick the promotion was decided at
   * @param fromVersion the version replaced, null when there was no model
   * @param toVersion the new version
   * @param trainedAtTick the tick the training started at (its data ends there)
   * @param candidateMetrics the new model on the validation window
   * @param currentMetrics the replaced model on the same window
   * @param samples rows the new model was fitted on
   * @param featureSchema the feature schema it reads
   * @param threshold its decision threshold
   * @param sha256 hex SHA-256 of {@code model}
   * @param model the model's bytes ({@link
   *     dev.autopilot.agents.prediction.model.ViolationModelCodec})
   */
  public record ModelPromoted(
      String pipelineId,
      long tick,
      Integer fromVersion,
      int toVersion,
      long trainedAtTick,
      Map<String, Double> candidateMetrics,
      Map<String, Double> currentMetrics,
      int samples,
      String featureSchema,
      double threshold,
      String sha256,
      byte[] model)
      implements Event {

    public ModelPromoted {
      candidateMetrics = candidateMetrics == null ? Map.of() : Map.copyOf(candidateMetrics);
      currentMetrics = currentMetrics == null ? Map.of() : Map.copyOf(currentMetrics);
    }

    @Override
    public String summary() {
      return String.format(
          Locale.ROOT,
          "prediction model %s -> v%d promoted (trained at tick %d on %d samples): window f1 %.3f"
              + " vs %.3f, accuracy %.3f vs %.3f, auc %.3f vs %.3f; threshold %.3f, %d bytes"
              + " sha256 %s",
          fromVersion == null ? "no model (Holt baseline)" : "v" + fromVersion,
          toVersion,
          trainedAtTick,
          samples,
          candidateMetrics.getOrDefault("f1", Double.NaN),
          currentMetrics.getOrDefault("f1", Double.NaN),
          candidateMetrics.getOrDefault("accuracy", Double.NaN),
          currentMetrics.getOrDefault("accuracy", Double.NaN),
          candidateMetrics.getOrDefault("auc", Double.NaN),
          currentMetrics.getOrDefault("auc", Double.NaN),
          threshold,
          model == null ? 0 : model.length,
          sha256 == null ? "-" : sha256.substring(0, Math.min(12, sha256.length())));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ModelPromoted m
          && tick == m.tick
          && toVersion == m.toVersion
          && trainedAtTick == m.trainedAtTick
          && samples == m.samples
          && Double.compare(threshold, m.threshold) == 0
          && Objects.equals(pipelineId, m.pipelineId)
          && Objects.equals(fromVersion, m.fromVersion)
          && Objects.equals(candidateMetrics, m.candidateMetrics)
          && Objects.equals(currentMetrics, m.currentMetrics)
          && Objects.equals(featureSchema, m.featureSchema)
          && Objects.equals(sha256, m.sha256)
          && Arrays.equals(model, m.model);
    }

    @Override
    public int hashCode() {
      return Objects.hash(pipelineId, tick, toVersion, sha256);
    }

    @Override
    public String toString() {
      return "ModelPromoted[" + summary() + "]";
    }
  }

  /**
   * A retrained candidate did not beat the current model on the validation window and was dropped.
   *
   * @param pipelineId the pipeline
   * @param tick the tick it was judged at
   * @param candidateVersion the candidate's version (not used again)
   * @param currentVersion the version kept, null when there is no model
   * @param trainedAtTick the tick the training started at
   * @param reason why it was rejected
   * @param candidateMetrics the candidate on the window
   * @param currentMetrics the current model on the window
   * @param samples rows the candidate was fitted on
   */
  public record ModelRejected(
      String pipelineId,
      long tick,
      int candidateVersion,
      Integer currentVersion,
      long trainedAtTick,
      String reason,
      Map<String, Double> candidateMetrics,
      Map<String, Double> currentMetrics,
      int samples)
      implements Event {

    public ModelRejected {
      candidateMetrics = candidateMetrics == null ? Map.of() : Map.copyOf(candidateMetrics);
      currentMetrics = currentMetrics == null ? Map.of() : Map.copyOf(currentMetrics);
    }

    @Override
    public String summary() {
      return "prediction model candidate v"
          + candidateVersion
          + " rejected, keeping "
          + (currentVersion == null ? "no model (Holt baseline)" : "v" + currentVersion)
          + ": "
          + reason;
    }
  }

  /**
   * A training failed or timed out; the current model stays.
   *
   * @param pipelineId the pipeline
   * @param tick the tick the failure became known
   * @param candidateVersion the version the candidate would have had (not used again)
   * @param trainedAtTick the tick the training started at
   * @param reason the failure
   */
  public record TrainingFailed(
      String pipelineId, long tick, int candidateVersion, long trainedAtTick, String reason)
      implements Event {
    @Override
    public String summary() {
      return "prediction model training v" + candidateVersion + " failed: " + reason;
    }
  }

  /**
   * The promoted model could not be restored (after a restart or on another node): its bytes did
   * not decode or match their checksum, or no codec is configured. The entity falls back to the
   * pinned release model, or to the Holt baseline alone when none is pinned.
   *
   * @param pipelineId the pipeline
   * @param tick the tick the fallback happened at
   * @param lostVersion the promoted version that could not be restored
   * @param toVersion the release model's version, null when none is pinned
   * @param reason why the model could not be restored
   */
  public record ModelFallback(
      String pipelineId, long tick, int lostVersion, Integer toVersion, String reason)
      implements Event {
    @Override
    public String summary() {
      return "WARNING prediction model v"
          + lostVersion
          + " could not be restored ("
          + reason
          + "); falling back to "
          + (toVersion == null ? "the Holt baseline alone" : "release model v" + toVersion);
    }
  }

  /**
   * The entity's journaled state.
   *
   * @param pipelineId the pipeline
   * @param lastProposal the last proposal made, null before the first
   * @param lastProposalResolved whether an outcome arrived for the last proposal
   * @param proposalsTotal proposals made
   * @param outcomes outcomes received, by kind
   * @param lastOutcome the last outcome received, null before the first
   * @param lastFailedTick tick a pre-scale was last rolled back or failed (the back-off), MIN_VALUE
   *     when never
   * @param promotedModel the promotion of the model in use, null while the release model (or none)
   *     is in use
   * @param lastCandidateVersion highest model version trained so far (promoted, rejected or
   *     failed), 0 before the first
   * @param promotions models promoted
   * @param rejections candidates rejected
   * @param trainingFailures trainings failed
   */
  public record State(
      String pipelineId,
      Proposal lastProposal,
      boolean lastProposalResolved,
      long proposalsTotal,
      Map<AgentProtocol.OutcomeKind, Long> outcomes,
      OutcomeRecorded lastOutcome,
      long lastFailedTick,
      ModelPromoted promotedModel,
      int lastCandidateVersion,
      long promotions,
      long rejections,
      long trainingFailures)
      implements JsonSerializable {

    public State {
      outcomes = outcomes == null ? Map.of() : Map.copyOf(outcomes);
    }

    /** A state without any model history. */
    public State(
        String pipelineId,
        Proposal lastProposal,
        boolean lastProposalResolved,
        long proposalsTotal,
        Map<AgentProtocol.OutcomeKind, Long> outcomes,
        OutcomeRecorded lastOutcome,
        long lastFailedTick) {
      this(
          pipelineId,
          lastProposal,
          lastProposalResolved,
          proposalsTotal,
          outcomes,
          lastOutcome,
          lastFailedTick,
          null,
          0,
          0,
          0,
          0);
    }

    public static State empty(String pipelineId) {
      return new State(pipelineId, null, false, 0, Map.of(), null, Long.MIN_VALUE);
    }

    /** Version of the promoted model in use, null when none. */
    public Integer promotedVersion() {
      return promotedModel == null ? null : promotedModel.toVersion();
    }

    /**
     * The state after one event; the only way state changes (live and on recovery). A ROLLED_BACK
     * or FAILED outcome of the last proposal starts the back-off.
     */
    public State apply(Event event) {
      if (event instanceof PreScaleProposed p) {
        return new State(
            pipelineId,
            p.proposal(),
            false,
            proposalsTotal + 1,
            outcomes,
            lastOutcome,
            lastFailedTick,
            promotedModel,
            lastCandidateVersion,
            promotions,
            rejections,
            trainingFailures);
      }
      if (event instanceof ModelPromoted m) {
        return withModels(
            m,
            Math.max(lastCandidateVersion, m.toVersion()),
            promotions + 1,
            rejections,
            trainingFailures);
      }
      if (event instanceof ModelRejected r) {
        return withModels(
            promotedModel,
            Math.max(lastCandidateVersion, r.candidateVersion()),
            promotions,
            rejections + 1,
            trainingFailures);
      }
      if (event instanceof TrainingFailed f) {
        return withModels(
            promotedModel,
            Math.max(lastCandidateVersion, f.candidateVersion()),
            promotions,
            rejections,
            trainingFailures + 1);
      }
      if (event instanceof ModelFallback) {
        return withModels(null, lastCandidateVersion, promotions, rejections, trainingFailures);
      }
      OutcomeRecorded o = (OutcomeRecorded) event;
      Map<AgentProtocol.OutcomeKind, Long> counts = new EnumMap<>(AgentProtocol.OutcomeKind.class);
      counts.putAll(outcomes);
      counts.merge(o.outcome(), 1L, Long::sum);
      boolean ofLast = lastProposal != null && lastProposal.id().equals(o.proposalId());
      boolean resolved = lastProposalResolved || ofLast;
      boolean failed =
          ofLast
              && (o.outcome() == AgentProtocol.OutcomeKind.ROLLED_BACK
                  || o.outcome() == AgentProtocol.OutcomeKind.FAILED);
      return new State(
          pipelineId,
          lastProposal,
          resolved,
          proposalsTotal,
          counts,
          o,
          failed ? Math.max(lastFailedTick, o.tick()) : lastFailedTick,
          promotedModel,
          lastCandidateVersion,
          promotions,
          rejections,
          trainingFailures);
    }

    private State withModels(
        ModelPromoted model, int candidateVersion, long promoted, long rejected, long failed) {
      return new State(
          pipelineId,
          lastProposal,
          lastProposalResolved,
          proposalsTotal,
          outcomes,
          lastOutcome,
          lastFailedTick,
          model,
          candidateVersion,
          promoted,
          rejected,
          failed);
    }

    /** What the policy needs to know of earlier proposals at a tick. */
    public ProposalHistory history(long tick) {
      if (lastProposal == null) {
        return ProposalHistory.NONE;
      }
      boolean pending = !lastProposalResolved && !lastProposal.expiredAt(tick);
      return new ProposalHistory(lastProposal.tick(), pending, lastFailedTick);
    }
  }

  /**
   * The model's view of one tick.
   *
   * @param version the model version, null for the Holt baseline's forecast (no model yet)
   * @param probability violation probability (the baseline's: 1 at an alarm, else 0)
   * @param threshold the model's decision threshold (the baseline's: 0.5)
   */
  private record ModelView(Integer version, double probability, double threshold) {

    static ModelView baseline(boolean alarm) {
      return new ModelView(null, alarm ? 1.0 : 0.0, 0.5);
    }

    boolean alarm() {
      return probability >= threshold;
    }

    String vote() {
      return version == null ? BASELINE_VOTE : MODEL_VOTE_PREFIX + version;
    }

    String evidence() {
      if (version == null) {
        return "no violation model yet (cold start): the Holt baseline decides, its forecast "
            + (alarm() ? "alarms" : "is quiet");
      }
      return String.format(
          Locale.ROOT,
          "model v%d: violation probability %.2f %s threshold %.2f",
          version,
          probability,
          alarm() ? "≥" : "<",
          threshold);
    }
  }

  private final String pipelineId;
  private final ActorContext<AgentProtocol.Command> context;
  private final PreScaler policy;
  private final PredictionSettings settings;
  private final LearningSettings learning;
  private final PredictionModels models;
  private final FeaturePipeline features;
  private final ViolationModel release;
  private final LiveLabeler labeler;
  private final ContinuousLearner learner;

  /** The model in use: the promoted one (decoded) or the release one; null for none. */
  private ViolationModel active;

  /** The promotion {@link #active} was decoded from, null when it is the release model. */
  private ModelPromoted activePromotion;

  private byte[] releaseBytes;
  private boolean trainingInFlight;
  private long lastTick = Long.MIN_VALUE;
  private boolean schemaWarned;

  private PredictionAgent(
      String pipelineId,
      PersistenceId persistenceId,
      PredictionSettings settings,
      PreScaler policy,
      LearningSettings learning,
      PredictionModels models,
      ActorContext<AgentProtocol.Command> context) {
    super(persistenceId, JournalRecovery.backoff(context.getSystem().settings().config()));
    this.pipelineId = pipelineId;
    this.context = context;
    this.settings = settings;
    this.learning = learning;
    this.models = models;
    this.policy = policy;
    this.features = models.hasFeatures() ? models.features().get() : null;
    this.release = models.hasFeatures() && models.release() != null ? models.release().get() : null;
    this.active = release;
    boolean learns =
        settings != null && learning != null && learning.enabled() && models.canLearn();
    this.labeler = learns ? new LiveLabeler(settings.minBusyRatio()) : null;
    this.learner = learns ? new ContinuousLearner(learning, settings.horizonTicks()) : null;
  }

  /** The entity of one pipeline, with the Holt-trend baseline policy and no learned model. */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId persistenceId, PredictionSettings settings) {
    return create(pipelineId, persistenceId, settings, null, PredictionModels.NONE);
  }

  /**
   * The entity of one pipeline, with the pre-scale policy the factory makes for it (called once,
   * when the entity starts; see {@link PreScalers}), without continuous learning.
   */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId persistenceId, Function<String, PreScaler> policies) {
    return create(pipelineId, persistenceId, null, policies, null, PredictionModels.NONE);
  }

  /**
   * The entity of one pipeline with the Holt-trend baseline policy and a learned model.
   *
   * @param learning learning settings; null (or models that cannot learn) disables learning
   * @param models the learned forecaster's parts ({@link PredictionModels#NONE}: Holt alone)
   */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId,
      PersistenceId persistenceId,
      PredictionSettings settings,
      LearningSettings learning,
      PredictionModels models) {
    return create(
        pipelineId, persistenceId, settings, id -> new PreScalePolicy(settings), learning, models);
  }

  /**
   * The entity of one pipeline.
   *
   * @param settings the prediction settings (null only without learning)
   * @param policies the pre-scale policy factory ({@link PreScalers}); a {@link
   *     LearnedPreScalePolicy} gets every model promotion of this entity
   * @param learning learning settings; null (or models that cannot learn) disables learning
   * @param models the learned forecaster's parts ({@link PredictionModels#NONE}: no learning)
   */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId,
      PersistenceId persistenceId,
      PredictionSettings settings,
      Function<String, PreScaler> policies,
      LearningSettings learning,
      PredictionModels models) {
    Objects.requireNonNull(models, "models");
    return Behaviors.withMdc(
        AgentProtocol.Command.class,
        Map.of("agent", AgentKind.PREDICTION.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(
            ctx ->
                new PredictionAgent(
                    pipelineId,
                    persistenceId,
                    settings,
                    policies.apply(pipelineId),
                    learning,
                    models,
                    ctx)));
  }

  /** Registers the entity type with cluster sharding, with the Holt-trend baseline policy. */
  public static void initSharding(ActorSystem<?> system, PredictionSettings settings) {
    initSharding(system, settings, id -> new PreScalePolicy(settings), null, PredictionModels.NONE);
  }

  /**
   * Registers the entity type with cluster sharding; the entity id is the pipeline id, and each
   * entity gets the policy the factory makes for its pipeline (no continuous learning).
   */
  public static void initSharding(ActorSystem<?> system, Function<String, PreScaler> policies) {
    initSharding(system, null, policies, null, PredictionModels.NONE);
  }

  /**
   * Registers the entity type with cluster sharding; the entity id is the pipeline id.
   *
   * @param settings the prediction settings
   * @param policies the pre-scale policy factory ({@link PreScalers})
   * @param learning learning settings (null: no learning)
   * @param models the learned forecaster's parts ({@link PredictionModels#NONE}: no learning)
   */
  public static void initSharding(
      ActorSystem<?> system,
      PredictionSettings settings,
      Function<String, PreScaler> policies,
      LearningSettings learning,
      PredictionModels models) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                entity ->
                    create(
                        entity.getEntityId(),
                        PersistenceId.of(ENTITY_TYPE_KEY.name(), entity.getEntityId()),
                        settings,
                        policies,
                        learning,
                        models)));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryFailed.class, JournalRecovery.reporter(context, this))
        .build();
  }

  @Override
  public State emptyState() {
    return State.empty(pipelineId);
  }

  @Override
  public CommandHandlerWithReply<AgentProtocol.Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(AgentProtocol.Evaluate.class, this::onEvaluate)
        .onCommand(AgentProtocol.Outcome.class, this::onOutcome)
        .onCommand(TrainingFinished.class, this::onTrainingFinished)
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  private ReplyEffect<Event, State> onEvaluate(State state, AgentProtocol.Evaluate cmd) {
    TelemetrySnapshot s = cmd.snapshot();
    Optional<String> problem = cmd.problem(pipelineId, Long.MIN_VALUE);
    if (problem.isPresent()) {
      context.getLog().warn("prediction {}: evaluate ignored: {}", pipelineId, problem.get());
      long tick = s == null ? -1 : s.tick();
      return Effect().reply(cmd.replyTo(), proposals(tick, List.of(), null));
    }
    Proposal last = state.lastProposal();
    if (last != null && last.tick() == s.tick()) {
      // A repeated Evaluate for the tick that produced the last proposal: answer it again.
      return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of(last), null));
    }
    List<Event> events = new ArrayList<>();
    boolean fresh = features != null && s.tick() > lastTick;
    if (fresh) {
      restoreModel(state, s.tick()).ifPresent(events::add);
    }
    PreScaler.Result result = policy.evaluate(s, cmd.sla(), state.history(s.tick()));
    // Scored after the policy: a learned policy has computed this tick's features already.
    ModelView view = fresh ? score(state, s, cmd.sla()) : null;
    lastTick = Math.max(lastTick, s.tick());
    Diagnostics diagnostics = diagnostics(view);
    if (result.proposal().isEmpty()) {
      context.getLog().debug("prediction {} tick {}: {}", pipelineId, s.tick(), result.reason());
      if (events.isEmpty()) {
        return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of(), diagnostics));
      }
      return Effect()
          .persist(events)
          .thenReply(cmd.replyTo(), st -> proposals(s.tick(), List.of(), diagnostics));
    }
    Proposal proposal = withModelEvidence(result.proposal().get(), view);
    context
        .getLog()
        .info(
            "prediction {} tick {}: proposing {}: {}",
            pipelineId,
            s.tick(),
            proposal.id(),
            proposal.action().describe());
    events.add(
        new PreScaleProposed(
            pipelineId,
            s.tick(),
            proposal,
            view == null ? null : view.version(),
            // the baseline's binary forecast is no probability: the evidence names it
            view == null || view.version() == null ? null : view.probability()));
    return Effect()
        .persist(events)
        .thenReply(cmd.replyTo(), st -> proposals(s.tick(), List.of(proposal), diagnostics));
  }

  /**
   * Makes {@link #active} the model the state names: the promoted model (decoded from its journaled
   * bytes once after a restart) or the release model. When the promoted model cannot be restored,
   * falls back to the release model and returns the journaled warning.
   */
  private Optional<Event> restoreModel(State state, long tick) {
    ModelPromoted promoted = state.promotedModel();
    if (promoted == null) {
      if (activePromotion != null) {
        activate(release, null);
      }
      return Optional.empty();
    }
    if (promoted.equals(activePromotion)) {
      return Optional.empty();
    }
    String problem;
    try {
      if (models.codec() == null) {
        problem = "no model codec is configured";
      } else if (promoted.model() == null) {
        problem = "the promotion carries no model bytes";
      } else if (!sha256(promoted.model()).equals(promoted.sha256())) {
        problem = "model bytes do not match their sha256 " + promoted.sha256();
      } else {
        ViolationModel decoded = models.codec().decode(promoted.model());
        if (decoded.version() != promoted.toVersion()) {
          problem = "decoded model is v" + decoded.version();
        } else {
          activate(decoded, promoted);
          context
              .getLog()
              .info("prediction {}: restored promoted model v{}", pipelineId, decoded.version());
          return Optional.empty();
        }
      }
    } catch (RuntimeException e) {
      problem = "decoding failed: " + e;
    }
    context
        .getLog()
        .warn(
            "prediction {}: promoted model v{} cannot be restored ({}), falling back to {}",
            pipelineId,
            promoted.toVersion(),
            problem,
            release == null ? "the Holt baseline" : "release model v" + release.version());
    activate(release, null);
    return Optional.of(
        new ModelFallback(
            pipelineId,
            tick,
            promoted.toVersion(),
            release == null ? null : release.version(),
            problem));
  }

  /**
   * Makes a model the one in use, and hands it to a learned pre-scale policy, so that the policy
   * decides with the promoted version too.
   */
  private void activate(ViolationModel model, ModelPromoted promotion) {
    active = model;
    activePromotion = promotion;
    if (model == null
        && policy instanceof LearnedPreScalePolicy learned
        && learned.model() != null
        && learned.hasBaseline()) {
      learned.dropModel();
    }
    if (model != null
        && policy instanceof LearnedPreScalePolicy learned
        && learned.model() != model) {
      try {
        learned.promote(model);
      } catch (IllegalArgumentException e) {
        context
            .getLog()
            .warn(
                "prediction {}: the learned policy keeps its model: {}",
                pipelineId,
                e.getMessage());
      }
    }
  }

  /** The decision threshold: a learned policy's (it may be configured), else the model's. */
  private double threshold() {
    return policy instanceof LearnedPreScalePolicy learned
        ? learned.threshold()
        : active.threshold();
  }

  /**
   * Runs the feature pipeline and the model on one snapshot, feeds the learner and starts a
   * training when one is due. Null when no model scores the tick.
   */
  private ModelView score(State state, TelemetrySnapshot s, SlaSpec sla) {
    LearnedPreScalePolicy learned = policy instanceof LearnedPreScalePolicy l ? l : null;
    float[] shared = learned == null ? null : learned.featuresAt(s.tick());
    float[] x;
    try {
      // One feature pipeline per entity in use: the learned policy's when it evaluated the tick
      // (same schema: promote() checks it), else the agent's own.
      x = shared != null ? shared : features.observe(s, sla);
    } catch (RuntimeException e) {
      context
          .getLog()
          .warn("prediction {} tick {}: feature pipeline failed", pipelineId, s.tick(), e);
      features.reset();
      x = null;
    }
    ModelView view = null;
    if (x != null && active != null) {
      if (!active.featureSchema().equals(features.schema())) {
        if (!schemaWarned) {
          schemaWarned = true;
          context
              .getLog()
              .warn(
                  "prediction {}: model v{} reads feature schema {}, the pipeline gives {}; not"
                      + " used",
                  pipelineId,
                  active.version(),
                  active.featureSchema(),
                  features.schema());
        }
      } else {
        try {
          double p =
              shared != null && learned.model() == active
                  ? learned.lastProbability()
                  : active.probability(x);
          if (p >= 0 && p <= 1) {
            view = new ModelView(active.version(), p, threshold());
          } else {
            context.getLog().warn("prediction {}: model gave probability {}", pipelineId, p);
          }
        } catch (RuntimeException e) {
          context.getLog().warn("prediction {} tick {}: model failed", pipelineId, s.tick(), e);
        }
      }
    }
    Boolean baselineAlarm = active == null ? baselineAlarmAt(s.tick()) : null;
    if (view == null && baselineAlarm != null) {
      view = ModelView.baseline(baselineAlarm);
    }
    if (learner != null && s.tick() > labeler.lastTick()) {
      boolean violated = labeler.violated(s, sla);
      learner.observe(s.tick(), x, violated, baselineAlarm);
      if (!trainingInFlight && learner.retrainDue(s.tick(), active != null)) {
        startTraining(state, s.tick());
      }
    }
    return view;
  }

  /** The Holt baseline's forecast at a tick, when the policy evaluated it with the baseline. */
  private Boolean baselineAlarmAt(long tick) {
    if (policy instanceof LearnedPreScalePolicy learned) {
      return learned.baselineAlarmAt(tick);
    }
    if (policy instanceof PreScalePolicy holt) {
      return holt.forecastAlarmAt(tick);
    }
    return null;
  }

  private void startTraining(State state, long tick) {
    int version =
        Math.max(
                state.lastCandidateVersion(),
                Math.max(
                    state.promotedVersion() == null ? 0 : state.promotedVersion(),
                    release == null ? 0 : release.version()))
            + 1;
    byte[] currentBytes;
    try {
      currentBytes = currentBytes();
    } catch (RuntimeException e) {
      context
          .getLog()
          .warn("prediction {}: the current model cannot be encoded, no training", pipelineId, e);
      return;
    }
    ContinuousLearner.TrainingSet set = learner.startTraining(tick);
    long seed = pipelineId.hashCode() * 31L + tick;
    context
        .getLog()
        .info(
            "prediction {} tick {}: training model v{} on {} samples, window {} ticks",
            pipelineId,
            tick,
            version,
            set.samples(),
            set.windowLabels().length);
    Executor executor =
        context
            .getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(learning.dispatcher()));
    CompletableFuture<TrainingJob.Result> future =
        TrainingJob.start(
            executor,
            set,
            models.trainer(),
            models.codec(),
            currentBytes,
            version,
            seed,
            features.schema(),
            learning);
    trainingInFlight = true;
    context.pipeToSelf(
        future, (result, failure) -> new TrainingFinished(tick, version, result, failure));
  }

  private byte[] currentBytes() {
    if (activePromotion != null) {
      return activePromotion.model();
    }
    if (active == null) {
      return null;
    }
    if (releaseBytes == null) {
      releaseBytes = models.codec().encode(active);
    }
    return releaseBytes;
  }

  private ReplyEffect<Event, State> onTrainingFinished(State state, TrainingFinished msg) {
    trainingInFlight = false;
    long tick = Math.max(lastTick, msg.startedTick());
    Integer currentVersion = active == null ? null : active.version();
    if (msg.failure() != null) {
      Throwable cause =
          msg.failure() instanceof CompletionException && msg.failure().getCause() != null
              ? msg.failure().getCause()
              : msg.failure();
      String reason =
          cause instanceof TimeoutException
              ? "timed out after " + learning.trainingTimeout()
              : cause.toString();
      context
          .getLog()
          .warn("prediction {}: training of v{} failed: {}", pipelineId, msg.version(), reason);
      return Effect()
          .persist(new TrainingFailed(pipelineId, tick, msg.version(), msg.startedTick(), reason))
          .thenNoReply();
    }
    TrainingJob.Result r = msg.result();
    if (!r.promoted()) {
      context
          .getLog()
          .info("prediction {}: candidate v{} rejected: {}", pipelineId, msg.version(), r.reason());
      return Effect()
          .persist(
              new ModelRejected(
                  pipelineId,
                  tick,
                  msg.version(),
                  currentVersion,
                  msg.startedTick(),
                  r.reason(),
                  r.candidateMetrics(),
                  r.currentMetrics(),
                  r.samples()))
          .thenNoReply();
    }
    ModelPromoted promoted =
        new ModelPromoted(
            pipelineId,
            tick,
            currentVersion,
            msg.version(),
            msg.startedTick(),
            r.candidateMetrics(),
            r.currentMetrics(),
            r.samples(),
            r.candidate().featureSchema(),
            r.candidate().threshold(),
            sha256(r.candidateBytes()),
            r.candidateBytes());
    context.getLog().info("prediction {}: {}", pipelineId, promoted.summary());
    return Effect()
        .persist(promoted)
        .thenRun(st -> activate(r.candidate(), st.promotedModel()))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onOutcome(State state, AgentProtocol.Outcome cmd) {
    String prefix = AgentKind.PREDICTION.entityTypeName() + "-" + pipelineId + "-";
    if (cmd.proposalId() == null || !cmd.proposalId().startsWith(prefix) || cmd.outcome() == null) {
      context
          .getLog()
          .warn(
              "prediction {}: outcome for foreign proposal {} ignored",
              pipelineId,
              cmd.proposalId());
      return Effect().noReply();
    }
    return Effect()
        .persist(
            new OutcomeRecorded(
                pipelineId, cmd.tick(), cmd.proposalId(), cmd.outcome(), cmd.detail()))
        .thenNoReply();
  }

  private static Proposal withModelEvidence(Proposal p, ModelView view) {
    if (view == null) {
      return p;
    }
    List<String> evidence = new ArrayList<>(p.evidence());
    evidence.add(view.evidence());
    return new Proposal(
        p.id(),
        p.pipelineId(),
        p.agent(),
        p.priority(),
        p.action(),
        p.confidence(),
        p.expectedEffect(),
        evidence,
        p.cause(),
        p.tick(),
        p.expiryTick());
  }

  private static Diagnostics diagnostics(ModelView view) {
    if (view == null) {
      return null;
    }
    return new Diagnostics(
        AgentKind.PREDICTION,
        List.of(new Diagnostics.DetectorVote(view.vote(), view.probability(), view.alarm())),
        view.alarm(),
        view.probability(),
        List.of(),
        Map.of("violation-threshold", Math.max(0, Math.min(1, view.threshold()))));
  }

  /** Hex SHA-256 of bytes. */
  static String sha256(byte[] bytes) {
    return ModelBundle.sha256(bytes);
  }

  private AgentProtocol.Proposals proposals(long tick, List<Proposal> list, Diagnostics d) {
    return new AgentProtocol.Proposals(pipelineId, tick, AgentKind.PREDICTION, list, d);
  }
}
