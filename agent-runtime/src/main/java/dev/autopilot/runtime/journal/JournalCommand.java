package dev.autopilot.runtime.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.persistence.JournalRepair;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot journal show|quarantine|restore --persistence-id ID --sequence-nr N}: the
 * operator's tools for one journal row, for the README's "Corrupt journal" procedure. {@code show}
 * prints the row as stored (deleted flag, serializer id, manifest, payload); {@code quarantine}
 * marks it deleted, so that the entity's replay (and {@code audit}) skips it while the row stays in
 * the table; {@code restore} undoes that. Exit code 0 on success (also when there was nothing to
 * change), 1 when the journal has no such row, 2 when the journal cannot be used.
 *
 * <p>It runs a local (non-cluster) actor system of its own over the configured journal.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = {
      "Inspects, quarantines and restores single journal rows (README: 'Corrupt journal').",
      "A quarantined row is marked deleted: replays skip it, its sequence number is not reused."
    })
public final class JournalCommand implements Runnable {
  @Spec private CommandSpec spec;

  private final Supplier<Config> config;
  private final PrintWriter out;
  private final PrintWriter err;

  /** Reads the configuration of the environment's profile ({@link RuntimeConfig#load()}). */
  public JournalCommand() {
    this(RuntimeConfig::load, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /**
   * @param config the node configuration whose journal is repaired
   * @param out where results go
   * @param err where errors go
   */
  public JournalCommand(Config config, PrintWriter out, PrintWriter err) {
    this(() -> config, out, err);
  }

  private JournalCommand(Supplier<Config> config, PrintWriter out, PrintWriter err) {
    this.config = config;
    this.out = out;
    this.err = err;
  }

  /** The row to act on. */
  static final class RowOptions {
    @Option(
        names = "--persistence-id",
        required = true,
        paramLabel = "ID",
        description = "The entity, e.g. prediction|orders (quote the |).")
    String persistenceId;

    @Option(
        names = "--sequence-nr",
        required = true,
        paramLabel = "N",
        description = "The row's sequence number.")
    long sequenceNr;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: show, quarantine or restore");
  }

  /** Prints one row as stored. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Prints one journal row as stored.")
  public int show(@CommandLine.ArgGroup(exclusive = false, multiplicity = "1") RowOptions row) {
    return withRepair(
        repair -> {
          Optional<JournalRepair.Row> found = repair.find(row.persistenceId, row.sequenceNr);
          if (found.isEmpty()) {
            return missing(row);
          }
          JournalRepair.Row r = found.get();
          out.println("persistence_id:     " + r.persistenceId());
          out.println("sequence_number:    " + r.sequenceNr());
          out.println("deleted:            " + r.deleted());
          out.println("event_ser_id:       " + r.serializerId());
          out.println("event_ser_manifest: " + r.manifest());
          out.println("event_payload:      " + r.payloadText());
          return 0;
        });
  }

  /** Marks one row deleted. */
  @Command(
      name = "quarantine",
      mixinStandardHelpOptions = true,
      description = "Marks one journal row deleted: the entity then recovers without it.")
  public int quarantine(
      @CommandLine.ArgGroup(exclusive = false, multiplicity = "1") RowOptions row) {
    return setQuarantined(row, true);
  }

  /** Clears one row's deleted flag. */
  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = "Undoes a quarantine: the row is replayed again.")
  public int restore(@CommandLine.ArgGroup(exclusive = false, multiplicity = "1") RowOptions row) {
    return setQuarantined(row, false);
  }

  private int setQuarantined(RowOptions row, boolean quarantined) {
    return withRepair(
        repair -> {
          try {
            boolean changed =
                quarantined
                    ? repair.quarantine(row.persistenceId, row.sequenceNr)
                    : repair.restore(row.persistenceId, row.sequenceNr);
            String what =
                changed
                    ? (quarantined ? "quarantined " : "restored ")
                    : (quarantined ? "already quarantined: " : "not quarantined: ");
            out.println(what + row.persistenceId + " sequence_nr " + row.sequenceNr);
            return 0;
          } catch (IllegalArgumentException e) {
            return missing(row);
          }
        });
  }

  private int missing(RowOptions row) {
    err.println(
        "error: the journal has no row " + row.persistenceId + " sequence_nr " + row.sequenceNr);
    err.flush();
    return 1;
  }

  /** One action on the journal. */
  private interface RepairAction {
    int run(JournalRepair repair) throws SQLException;
  }

  private int withRepair(RepairAction action) {
    Config local =
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(config.get());
    Duration timeout = local.getDuration("autopilot.node.shutdown-timeout");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "autopilot-journal", local);
    try {
      JournalSchema.ensure(system);
      return action.run(JournalRepair.create(system));
    } catch (JournalSchema.SchemaException | SQLException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } finally {
      out.flush();
      err.flush();
      system.terminate();
      try {
        system
            .getWhenTerminated()
            .toCompletableFuture()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        err.println("warning: the journal's actor system did not stop within " + timeout);
      }
    }
  }
}
