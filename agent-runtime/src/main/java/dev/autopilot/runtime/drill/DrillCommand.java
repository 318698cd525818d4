package dev.autopilot.runtime.drill;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code drill}: reliability drills on a local cluster of this JVM over a scratch PostgreSQL
 * journal (created on the server of {@code autopilot.db.url}, dropped afterwards). Each subcommand
 * prints its figures, one JSON object with {@code --json}.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Reliability drills: the promises of the runtime checked repeatedly and measured.",
      "They need a reachable PostgreSQL, taken from the runtime's journal settings"
          + " (autopilot.db.url, AUTOPILOT_DB_URL, e.g. jdbc:postgresql://127.0.0.1:5432/postgres);"
          + " each drill journals into a scratch database it creates on that server and drops."
    },
    subcommands = {NodeLossCommand.class, DbOutageCommand.class})
public final class DrillCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing drill");
  }
}
