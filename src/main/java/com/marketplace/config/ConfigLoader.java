package com.marketplace.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Merges the configuration sources, lowest precedence first: built-in defaults, the config file,
 * the environment, the command-line flags.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * @param configFile the file named by {@code --config}, or null for {@code conf/config.json} when present
   * @param environment the process environment
   * @param flags the settings given on the command line, by key
   */
  public static ServerConfig load(Path configFile, Map<String, String> environment, JsonObject flags) {
    JsonObject merged = ServerConfig.defaults();
    merged.mergeIn(readFile(configFile));
    ServerConfig.environmentNames().forEach((key, variable) -> {
      String value = environment.get(variable);
      if (value != null) {
        merged.put(key, value);
      }
    });
    merged.mergeIn(flags);
    return ServerConfig.fromJson(merged);
  }

  private static JsonObject readFile(Path explicit) {
    Path file = explicit != null ? explicit : Path.of(ServerConfig.DEFAULT_CONFIG_FILE);
    if (explicit == null && !Files.exists(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("config file " + file + ": cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + file + ": not a JSON object");
    }
  }
}
