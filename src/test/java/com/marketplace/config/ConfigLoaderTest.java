package com.marketplace.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void flagsOverrideEnvironmentWhichOverridesTheFileWhichOverridesDefaults() throws IOException {
    Path file = write("{\"port\": 1001, \"managementPort\": 1002, \"instances\": 3, \"host\": \"127.0.0.1\"}");
    ServerConfig config = ConfigLoader.load(file,
        Map.of("MARKETPLACE_MANAGEMENT_PORT", "2002", "MARKETPLACE_INSTANCES", "5"),
        new JsonObject().put("instances", 7));
    assertEquals(1001, config.port(), "from the file");
    assertEquals(2002, config.managementPort(), "from the environment, over the file");
    assertEquals(7, config.instances(), "from the flags, over the environment");
    assertEquals("127.0.0.1", config.host());
    assertEquals(4 * 1024 * 1024, config.maxMessageSize(), "default");
  }

  @Test
  void withNothingGivenTheDefaultsApply() {
    ServerConfig config = ConfigLoader.load(null, Map.of(), new JsonObject());
    assertEquals(50051, config.port());
    assertEquals(8081, config.managementPort());
    assertEquals(Runtime.getRuntime().availableProcessors(), config.instances());
    assertEquals("conf/catalog.json", config.catalog());
  }

  @Test
  void everyKeyHasAnEnvironmentVariable() {
    assertEquals("MARKETPLACE_MAX_MESSAGE_SIZE", ServerConfig.environmentNames().get("maxMessageSize"));
    assertEquals(ServerConfig.defaults().fieldNames(), ServerConfig.environmentNames().keySet());
  }

  @Test
  void badValuesNameTheirKey() throws IOException {
    assertEquals("config key 'port': expected an integer from 0 to 65535, got 70000",
        error(write("{\"port\": 70000}"), Map.of()));
    assertEquals("config key 'port': expected an integer, got \"fast\"",
        error(null, Map.of("MARKETPLACE_PORT", "fast")));
    assertEquals("config key 'host': expected a non-empty string, got 5",
        error(write("{\"host\": 5}"), Map.of()));
    assertEquals("config key 'corsAllowedOrigins': expected origins like https://shop.example.com or *, separated by commas,"
        + " got \"shop.example.com\"", error(null, Map.of("MARKETPLACE_CORS_ALLOWED_ORIGINS", "https://a.example, shop.example.com")));
    assertEquals("config key 'corsAllowedOrigins': expected origins like https://shop.example.com or *, separated by commas,"
        + " got \"https://shop.example.com/\"", error(null, Map.of("MARKETPLACE_CORS_ALLOWED_ORIGINS", "https://shop.example.com/")));
  }

  @Test
  void corsAllowedOriginsAreAJsonArrayOrAStringWithCommas() throws IOException {
    List<String> origins = List.of("https://shop.example.com", "http://localhost:3000");
    assertEquals(List.of(), ConfigLoader.load(null, Map.of(), new JsonObject()).corsAllowedOrigins());
    assertEquals(origins, ConfigLoader.load(null,
        Map.of("MARKETPLACE_CORS_ALLOWED_ORIGINS", "https://shop.example.com, http://localhost:3000"), new JsonObject())
        .corsAllowedOrigins());
    assertEquals(origins, ConfigLoader.load(write("{\"corsAllowedOrigins\": [\"https://shop.example.com\", \"http://localhost:3000\"]}"),
        Map.of(), new JsonObject()).corsAllowedOrigins());
    assertEquals("config key 'corsAllowedOrigins': expected a non-empty string, got [1]",
        error(write("{\"corsAllowedOrigins\": [1]}"), Map.of()));
  }

  @Test
  void unknownKeysAndBrokenFilesAreRefused() throws IOException {
    assertEquals("unknown config key 'prot' (known: " + String.join(", ", ServerConfig.defaults().fieldNames()) + ")",
        error(write("{\"prot\": 1}"), Map.of()));
    Path broken = write("{\"port\": ");
    assertEquals("config file " + broken + ": not a JSON object", error(broken, Map.of()));
    Path missing = dir.resolve("missing.json");
    assertEquals("config file " + missing + ": cannot read it (NoSuchFileException: " + missing + ")", error(missing, Map.of()));
  }

  private String error(Path file, Map<String, String> environment) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, environment, new JsonObject())).getMessage();
  }

  private Path write(String json) throws IOException {
    Path file = Files.createTempFile(dir, "config", ".json");
    return Files.writeString(file, json);
  }
}
