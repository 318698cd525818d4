package dev.autopilot.runtime.cluster;

import dev.autopilot.persistence.JsonSerializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** A test sharded, event-sourced entity: an ordered list of numbers, answered with its host. */
final class ItCounter
    extends EventSourcedBehaviorWithEnforcedReplies<
        ItCounter.Command, ItCounter.Added, ItCounter.State> {

  static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "it-counter");

  interface Command extends JsonSerializable {}

  record Add(long value, ActorRef<Reply> replyTo) implements Command {}

  record Get(ActorRef<Reply> replyTo) implements Command {}

  record Added(long value) implements JsonSerializable {}

  record State(List<Long> values) implements JsonSerializable {
    State apply(Added e) {
      List<Long> next = new ArrayList<>(values);
      next.add(e.value());
      return new State(List.copyOf(next));
    }
  }

  /** The entity's state and the address of the node running it. */
  record Reply(List<Long> values, String host) implements JsonSerializable {}

  private final String host;

  private ItCounter(PersistenceId id, String host) {
    super(id);
    this.host = host;
  }

  static void initSharding(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(KEY, ctx -> create(PersistenceId.of(KEY.name(), ctx.getEntityId()))));
  }

  static Behavior<Command> create(PersistenceId id) {
    return Behaviors.setup(ctx -> new ItCounter(id, ctx.getSystem().address().toString()));
  }

  @Override
  public State emptyState() {
    return new State(List.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Added, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Add.class, this::onAdd)
        .onCommand(
            Get.class, (state, c) -> Effect().reply(c.replyTo(), new Reply(state.values(), host)))
        .build();
  }

  private ReplyEffect<Added, State> onAdd(State state, Add add) {
    return Effect()
        .persist(new Added(add.value()))
        .thenReply(add.replyTo(), s -> new Reply(s.values(), host));
  }

  @Override
  public EventHandler<State, Added> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(Added.class, State::apply).build();
  }
}
