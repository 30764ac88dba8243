# Build: docker build -t marketplace:0.1.0 .
# Run:   docker run --rm -p 50051:50051 -p 8081:8081 marketplace:0.1.0          (gRPC server)
#        docker run --rm -p 8080:8080 marketplace:0.1.0 web --backend HOST:50051 (web shop)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=com.marketplace || true
COPY src src
COPY conf conf
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 marketplace \
 && useradd --system --uid 10001 --gid marketplace --home-dir /app --shell /usr/sbin/nologin marketplace
WORKDIR /app
COPY --from=build /build/target/marketplace.jar /app/marketplace.jar
# Heap from the container's memory limit; fail fast rather than limp on after running out.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"
# A class-data archive made by this image's own JVM with the same options (README: Fast start), so that
# a container serves sooner; the build stage's archive fits only the JDK that made it.
RUN java -XX:ArchiveClassesAtExit=/app/marketplace.jsa -Xlog:cds=error -jar /app/marketplace.jar \
      serve --port=0 --management-port=0 --exit-when-serving
USER 10001:10001
# gRPC, management (health, metrics), web shop
EXPOSE 50051 8081 8080
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/marketplace.jsa", "-jar", "/app/marketplace.jar"]
CMD ["serve"]
