package com.marketplace;

import com.marketplace.conformance.InteropClientCommand;
import com.marketplace.load.LoadCommand;
import com.marketplace.serve.ServeCommand;
import com.marketplace.web.WebCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code marketplace} command line; with no arguments it runs {@code serve}. */
@Command(name = "marketplace", mixinStandardHelpOptions = true, version = "marketplace 0.1.0",
    description = "Reactive gRPC marketplace services on Vert.x.")
public final class Main {

  /** Exit code for bad input: flags, config or data. */
  public static final int EXIT_BAD_INPUT = 2;

  /** Netty's switch for its JFR allocator events; see {@link #main}. */
  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  /** The subcommands, in the order the usage lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("serve", ServeCommand::new);
    SUBCOMMANDS.put("web", WebCommand::new);
    SUBCOMMANDS.put("load", LoadCommand::new);
    SUBCOMMANDS.put("interop-client", InteropClientCommand::new);
    SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
  }

  public static void main(String[] args) {
    // Netty's allocator events are off unless a JFR recording enables them, yet registering them costs the
    // first connection about a tenth of a second; -Dio.netty.jfr.enabled=true registers them again.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    System.exit(run(args));
  }

  /** Runs one command and returns its exit code, leaving the JVM running (the benchmark reuses one client JVM). */
  public static int run(String... args) {
    String[] command = args.length == 0 ? new String[] {"serve"} : args;
    return commandLine(command).execute(command);
  }

  /**
   * The command line for {@code args}, with its error handling: a bad flag is one line on stderr and
   * exit code 2. Only the subcommand that {@code args} name is built (picocli reads each one's
   * annotations, a good part of a start); every one when they name none, for the usage and its errors.
   */
  public static CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    Supplier<Object> named = args.length == 0 || args[0].equals("help") ? null : SUBCOMMANDS.get(args[0]);
    if (named != null) {
      commandLine.addSubcommand(args[0], named.get());
    } else {
      SUBCOMMANDS.forEach((name, subcommand) -> commandLine.addSubcommand(name, subcommand.get()));
    }
    commandLine.setParameterExceptionHandler((error, arguments) -> {
      error.getCommandLine().getErr().println("error: " + error.getMessage() + " (see --help)");
      return EXIT_BAD_INPUT;
    });
    return commandLine;
  }
}
