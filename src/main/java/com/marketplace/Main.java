package com.marketplace;

import com.marketplace.conformance.InteropClientCommand;
import com.marketplace.load.LoadCommand;
import com.marketplace.serve.ServeCommand;
import com.marketplace.web.WebCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code marketplace} command line; with no arguments it runs {@code serve}. */
@Command(name = "marketplace", mixinStandardHelpOptions = true, version = "marketplace 0.1.0",
    description = "Reactive gRPC marketplace services on Vert.x.",
    subcommands = {ServeCommand.class, WebCommand.class, LoadCommand.class, InteropClientCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  /** Exit code for bad input: flags, config or data. */
  public static final int EXIT_BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command and returns its exit code, leaving the JVM running (the benchmark reuses one client JVM). */
  public static int run(String... args) {
    return commandLine().execute(args.length == 0 ? new String[] {"serve"} : args);
  }

  /** The command line with its error handling: a bad flag is one line on stderr and exit code 2. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setParameterExceptionHandler((error, args) -> {
      error.getCommandLine().getErr().println("error: " + error.getMessage() + " (see --help)");
      return EXIT_BAD_INPUT;
    });
    return commandLine;
  }
}
