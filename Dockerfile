# The runtime image: `autopilot serve` on a JRE 17, as a non-root user.
#
#   mvn -B -q package -DskipTests -pl agent-runtime -am     # -> agent-runtime/target/autopilot.jar
#   docker build -t autopilot:0.1.0 .
#
# The build context is the repository root; .dockerignore sends only the jar.
FROM eclipse-temurin:17-jre

# Non-root user with fixed ids (the StatefulSet's securityContext runs as 10001:10001).
RUN groupadd --system --gid 10001 autopilot \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/autopilot --shell /usr/sbin/nologin autopilot \
 && mkdir -p /opt/autopilot /var/lib/autopilot /var/cache/autopilot \
 && chown -R 10001:10001 /var/lib/autopilot /var/cache/autopilot

COPY agent-runtime/target/autopilot.jar /opt/autopilot/autopilot.jar

# DJL never downloads (ai.djl.offline): the PyTorch native library ships in the jar and is
# extracted into writable caches, as are JNA's and JavaCPP's (Smile) natives. The StatefulSet
# mounts emptyDir volumes on /var/cache/autopilot, /var/lib/autopilot and /tmp, so the root file
# system can stay read-only.
ENV AUTOPILOT_CACHE_DIR=/var/cache/autopilot \
    DJL_CACHE_DIR=/var/cache/autopilot/djl \
    ENGINE_CACHE_DIR=/var/cache/autopilot/engine
# The profile is the runtime's default (local: one node, H2 in ./data) unless AUTOPILOT_PROFILE
# says otherwise; the StatefulSet's ConfigMap sets kubernetes.

# 25520 Pekko remoting, 8558 Pekko Management (/alive, /ready, bootstrap), 9464 Prometheus /metrics,
# 8560 the admin API.
EXPOSE 25520 8558 9464 8560

USER 10001:10001
# Working directory: ./data (H2, unused with PostgreSQL) and ./models (optional model bundles).
WORKDIR /var/lib/autopilot

# Container JVM flags: heap sized from the memory limit (the rest is left to PyTorch's native
# memory, metaspace and threads), exit on OOM so Kubernetes restarts the pod. JAVA_TOOL_OPTIONS
# in the pod spec adds to these.
ENTRYPOINT ["java", \
  "-XX:+UseContainerSupport", \
  "-XX:MaxRAMPercentage=60", \
  "-XX:+ExitOnOutOfMemoryError", \
  "-Dai.djl.offline=true", \
  "-DDJL_CACHE_DIR=/var/cache/autopilot/djl", \
  "-DENGINE_CACHE_DIR=/var/cache/autopilot/engine", \
  "-Djna.tmpdir=/var/cache/autopilot/jna", \
  "-Dorg.bytedeco.javacpp.cachedir=/var/cache/autopilot/javacpp", \
  "-Djava.io.tmpdir=/tmp", \
  "-jar", "/opt/autopilot/autopilot.jar"]
CMD ["serve"]
