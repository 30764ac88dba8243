package com.marketplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.testing.CommandRun;
import org.junit.jupiter.api.Test;

/** The top-level command line, which builds only the subcommand it runs. */
class MainTest {

  @Test
  void theUsageListsEverySubcommand() {
    CommandRun run = CommandRun.of("--help");

    assertEquals(0, run.exitCode());
    for (String subcommand : new String[] {"serve", "web", "load", "interop-client", "help"}) {
      assertTrue(run.out().contains("  " + subcommand + " "), run.out());
    }
  }

  @Test
  void helpOfASubcommandShowsItsOptions() {
    CommandRun run = CommandRun.of("help", "load");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("--target"), run.out());
  }

  @Test
  void anUnknownSubcommandIsOneLineAndExitCodeTwo() {
    CommandRun run = CommandRun.of("sevre");

    assertEquals(Main.EXIT_BAD_INPUT, run.exitCode());
    assertTrue(run.err().startsWith("error: ") && !run.err().contains("\n"), run.err());
  }
}
