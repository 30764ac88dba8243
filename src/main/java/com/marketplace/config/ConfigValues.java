package com.marketplace.config;

import com.marketplace.security.PemFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Typed reads of merged settings; values from the environment or flags may arrive as strings. */
final class ConfigValues {

  private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s,]+");

  private final JsonObject json;

  ConfigValues(JsonObject json) {
    this.json = json;
  }

  String string(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException("config key '" + key + "': expected a non-empty string, got " + describe(value));
    }
    return text;
  }

  int integer(String key, int min, int max) {
    Object value = json.getValue(key);
    long number;
    if (value instanceof Integer || value instanceof Long) {
      number = ((Number) value).longValue();
    } else if (value instanceof String text && text.trim().matches("-?\\d{1,18}")) {
      number = Long.parseLong(text.trim());
    } else {
      throw new ConfigException("config key '" + key + "': expected an integer, got " + describe(value));
    }
    if (number < min || number > max) {
      throw new ConfigException("config key '" + key + "': expected an integer from " + min + " to " + max + ", got " + number);
    }
    return (int) number;
  }

  String oneOf(String key, String... allowed) {
    String value = string(key).toUpperCase(Locale.ROOT);
    if (!List.of(allowed).contains(value)) {
      throw new ConfigException("config key '" + key + "': expected one of " + String.join(", ", allowed) + ", got \"" + json.getValue(key) + "\"");
    }
    return value;
  }

  /**
   * Web origins ({@code scheme://host[:port]}, as a browser sends them in {@code Origin}), or {@code *}
   * for any: a JSON array of them, or one string with commas between them; empty when absent.
   */
  List<String> origins(String key) {
    Object value = json.getValue(key);
    List<String> origins;
    if (value == null) {
      return List.of();
    } else if (value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
      origins = array.stream().map(String.class::cast).map(String::trim).toList();
    } else {
      origins = Arrays.stream(string(key).split(",")).map(String::trim).toList();
    }
    for (String origin : origins) {
      if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
        throw new ConfigException("config key '" + key + "': expected origins like https://shop.example.com or *, separated by commas, got \""
            + origin + "\"");
      }
    }
    return origins;
  }

  /** A string that may be absent (null); present, it must not be blank. */
  String optionalString(String key) {
    return json.getValue(key) == null ? null : string(key);
  }

  /**
   * {@code path}, the value of {@code key}, when it names a readable file, or null when unset:
   * checked here so that a mistyped path is a config error, not a server that fails to start.
   */
  String readableFile(String key, String path) {
    if (path != null && !PemFiles.readable(Path.of(path))) {
      throw new ConfigException("config key '" + key + "': cannot read the file " + path);
    }
    return path;
  }

  /** {@code path}, as {@link #readableFile}, holding PEM certificates ({@link PemFiles#checkCertificates}). */
  String certificatesFile(String key, String path) {
    if (readableFile(key, path) != null) {
      try {
        PemFiles.checkCertificates(Path.of(path));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("config key '" + key + "': cannot use the file " + path + ": " + e.getMessage());
      }
    }
    return path;
  }

  /**
   * Checks that {@code keyPath}, the value of {@code key}, is the PEM private key of the certificate
   * chain {@code certPath}, the value of {@code certKey}, when both are set ({@link PemFiles#checkKeyPair}).
   */
  void keyPair(String certKey, String certPath, String key, String keyPath) {
    if (certPath == null || keyPath == null) {
      return;
    }
    try {
      PemFiles.checkKeyPair(Path.of(certPath), Path.of(keyPath));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config keys '" + certKey + "' and '" + key + "': cannot use the files " + certPath
          + " and " + keyPath + ": " + e.getMessage());
    }
  }

  /** An optional string that must be set exactly when {@code other} is. */
  String requiredWith(String key, String other) {
    String value = optionalString(key);
    boolean otherSet = json.getValue(other) != null;
    if (otherSet && value == null) {
      throw new ConfigException("config key '" + key + "': required with '" + other + "'");
    }
    if (!otherSet && value != null) {
      throw new ConfigException("config key '" + key + "': only allowed with '" + other + "'");
    }
    return value;
  }

  /** An optional string that must be set exactly when one of {@code others} is; two of those may not be. */
  String requiredWithEither(String key, String... others) {
    long set = List.of(others).stream().filter(other -> json.getValue(other) != null).count();
    if (set > 1) {
      throw new ConfigException("config key '" + others[1] + "': not allowed with '" + others[0] + "'");
    }
    String value = optionalString(key);
    if (set == 1 && value == null) {
      throw new ConfigException("config key '" + key + "': required with '" + String.join("' or '", others) + "'");
    }
    if (set == 0 && value != null) {
      throw new ConfigException("config key '" + key + "': only allowed with '" + String.join("' or '", others) + "'");
    }
    return value;
  }

  boolean bool(String key) {
    Object value = json.getValue(key);
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException("config key '" + key + "': expected true or false, got " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
