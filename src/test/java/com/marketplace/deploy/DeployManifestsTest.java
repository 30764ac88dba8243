package com.marketplace.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.Main;
import com.marketplace.config.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;

/** The Kubernetes manifests, the compose file and the Dockerfile agree with each other and with the code's defaults. */
class DeployManifestsTest {

  private static final Path K8S = Path.of("deploy/k8s");
  private static final ServerConfig DEFAULTS = ServerConfig.fromJson(ServerConfig.defaults());
  private static final int WEB_PORT = 8080;

  /** {@code marketplace:<version>}, the version {@code --version} prints. */
  private static String image() {
    String version = Main.class.getAnnotation(Command.class).version()[0].replace("marketplace ", "");
    return "marketplace:" + version;
  }

  private static List<JsonObject> manifests() throws IOException {
    List<JsonObject> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
          assertNotNull(document, "empty document in " + file);
          documents.add(json(document));
        }
      }
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  private static JsonObject json(Object yaml) {
    return new JsonObject((Map<String, Object>) yaml);
  }

  private static JsonObject find(List<JsonObject> manifests, String kind, String name) {
    return manifests.stream()
        .filter(m -> m.getString("kind").equals(kind) && m.getJsonObject("metadata").getString("name").equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static JsonObject onlyContainer(JsonObject deployment) {
    JsonArray containers = deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("spec").getJsonArray("containers");
    assertEquals(1, containers.size());
    return containers.getJsonObject(0);
  }

  private static JsonObject labels(JsonObject deployment) {
    return deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("metadata").getJsonObject("labels");
  }

  private static void assertSelects(JsonObject selector, JsonObject labels) {
    selector.forEach(entry -> assertEquals(entry.getValue(), labels.getValue(entry.getKey()), "selector " + selector));
  }

  private static int containerPort(JsonObject container, String name) {
    return container.getJsonArray("ports").stream().map(JsonObject.class::cast)
        .filter(port -> port.getString("name").equals(name)).findFirst().orElseThrow().getInteger("containerPort");
  }

  private static String env(JsonObject container, String name) {
    return container.getJsonArray("env").stream().map(JsonObject.class::cast)
        .filter(variable -> variable.getString("name").equals(name)).map(variable -> variable.getString("value"))
        .findFirst().orElse(null);
  }

  @Test
  void theBackendRunsTheImageOnTheDefaultPortsWithGrpcProbesAndAGracefulStop() throws IOException {
    List<JsonObject> manifests = manifests();
    JsonObject deployment = find(manifests, "Deployment", "marketplace-backend");
    JsonObject container = onlyContainer(deployment);

    assertEquals(image(), container.getString("image"));
    assertEquals(List.of("serve"), container.getJsonArray("args").getList());
    assertEquals(DEFAULTS.port(), containerPort(container, "grpc"));
    assertEquals(DEFAULTS.managementPort(), containerPort(container, "management"));
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertEquals(DEFAULTS.port(), container.getJsonObject(probe).getJsonObject("grpc").getInteger("port"), probe);
    }
    List<String> known = List.copyOf(ServerConfig.environmentNames().values());
    container.getJsonArray("env").stream().map(JsonObject.class::cast)
        .forEach(variable -> assertTrue(known.contains(variable.getString("name")), "unknown setting " + variable));

    int preStopSeconds = Integer.parseInt(container.getJsonObject("lifecycle").getJsonObject("preStop").getJsonObject("exec")
        .getJsonArray("command").getString(1));
    int grace = Integer.parseInt(env(container, "MARKETPLACE_SHUTDOWN_GRACE_SECONDS"));
    int terminationGrace = deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("spec")
        .getInteger("terminationGracePeriodSeconds");
    assertTrue(preStopSeconds + grace < terminationGrace,
        "preStop " + preStopSeconds + " s + grace " + grace + " s must fit in " + terminationGrace + " s");
    assertTrue(Integer.parseInt(env(container, "MARKETPLACE_MAX_CONNECTION_AGE_SECONDS")) > 0);
  }

  @Test
  void aHeadlessServiceBudgetAndAutoscalerPointAtTheBackend() throws IOException {
    List<JsonObject> manifests = manifests();
    JsonObject deployment = find(manifests, "Deployment", "marketplace-backend");
    JsonObject service = find(manifests, "Service", "marketplace-backend").getJsonObject("spec");
    JsonObject budget = find(manifests, "PodDisruptionBudget", "marketplace-backend").getJsonObject("spec");
    JsonObject autoscaler = find(manifests, "HorizontalPodAutoscaler", "marketplace-backend").getJsonObject("spec");

    assertEquals("None", service.getString("clusterIP"), "client-side balancing needs every pod's address");
    assertSelects(service.getJsonObject("selector"), labels(deployment));
    assertEquals(DEFAULTS.port(), service.getJsonArray("ports").getJsonObject(0).getInteger("port"));
    assertSelects(budget.getJsonObject("selector").getJsonObject("matchLabels"), labels(deployment));
    assertTrue(budget.getInteger("minAvailable") < deployment.getJsonObject("spec").getInteger("replicas"));
    assertEquals("marketplace-backend", autoscaler.getJsonObject("scaleTargetRef").getString("name"));
    assertTrue(autoscaler.getInteger("minReplicas") <= autoscaler.getInteger("maxReplicas"));
  }

  @Test
  void theWebShopCallsTheHeadlessServiceAndIsProbedOverHttp() throws IOException {
    List<JsonObject> manifests = manifests();
    JsonObject deployment = find(manifests, "Deployment", "marketplace-web");
    JsonObject container = onlyContainer(deployment);
    JsonObject service = find(manifests, "Service", "marketplace-web").getJsonObject("spec");

    assertEquals(image(), container.getString("image"));
    assertEquals(List.of("web"), container.getJsonArray("args").getList());
    assertEquals(WEB_PORT, containerPort(container, "http"));
    assertEquals("marketplace-backend:" + DEFAULTS.port(), env(container, "MARKETPLACE_WEB_BACKENDS"));
    assertEquals("/health/ready", container.getJsonObject("readinessProbe").getJsonObject("httpGet").getString("path"));
    assertEquals("/health/live", container.getJsonObject("livenessProbe").getJsonObject("httpGet").getString("path"));
    assertSelects(service.getJsonObject("selector"), labels(deployment));
    assertEquals("http", service.getJsonArray("ports").getJsonObject(0).getString("targetPort"));
  }

  @Test
  void composeRunsThreeBackendsAndTheWebShopFromTheSameImage() throws IOException {
    JsonObject services = json(new Yaml().load(Files.readString(Path.of("docker-compose.yml")))).getJsonObject("services");

    List<String> backends = List.of("backend-1", "backend-2", "backend-3");
    for (String backend : backends) {
      assertEquals(image(), services.getJsonObject(backend).getString("image"), backend);
    }
    JsonObject web = services.getJsonObject("web");
    assertEquals(image(), web.getString("image"));
    assertEquals(String.join(",", backends.stream().map(name -> name + ":" + DEFAULTS.port()).toList()),
        web.getJsonObject("environment").getString("MARKETPLACE_WEB_BACKENDS"));
    assertEquals(List.of(WEB_PORT + ":" + WEB_PORT), web.getJsonArray("ports").getList());
  }

  @Test
  void theImageRunsTheFatJarAsANonRootUserWithAClassDataArchiveAndExposesTheDefaultPorts() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));

    assertTrue(dockerfile.contains("COPY --from=build /build/target/marketplace.jar"), "multi-stage build of the fat jar");
    assertTrue(dockerfile.contains("FROM eclipse-temurin:17-jre"), "a slim Java 17 runtime");
    assertTrue(dockerfile.contains("USER 10001"), "a non-root user");
    assertTrue(dockerfile.contains("EXPOSE " + DEFAULTS.port() + " " + DEFAULTS.managementPort() + " " + WEB_PORT));
    assertFalse(dockerfile.contains("USER root"));
    assertTrue(dockerfile.contains("-XX:ArchiveClassesAtExit=/app/marketplace.jsa")
        && dockerfile.contains("\"-XX:SharedArchiveFile=/app/marketplace.jsa\""), "a class-data archive, made and used");
  }
}
