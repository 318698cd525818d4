package dev.autopilot.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The k8s module's manifests as the kustomization deploys them, read from the classpath ({@code
 * /manifests}) as plain YAML trees. Parsed with Jackson's YAML module (on the classpath through the
 * k8s module), so that only the k8s module imports fabric8.
 */
final class ShippedManifests {
  private final List<JsonNode> objects = new ArrayList<>();

  private ShippedManifests() {}

  static ShippedManifests load() {
    ShippedManifests m = new ShippedManifests();
    JsonNode kustomization = read("kustomization.yaml").get(0);
    for (JsonNode file : kustomization.get("resources")) {
      m.objects.addAll(read(file.asText()));
    }
    return m;
  }

  private static List<JsonNode> read(String file) {
    String resource = "/manifests/" + file;
    try (InputStream in = ShippedManifests.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      YAMLMapper yaml = new YAMLMapper();
      List<JsonNode> docs = new ArrayList<>();
      try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(in)) {
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null && !doc.isNull() && !doc.isEmpty()) {
            docs.add(doc);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }

  /** The one object of a kind. */
  JsonNode one(String kind) {
    List<JsonNode> found =
        objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  private JsonNode named(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  JsonNode statefulSet() {
    return one("StatefulSet");
  }

  int replicas() {
    return statefulSet().path("spec").path("replicas").asInt();
  }

  JsonNode podTemplate() {
    return statefulSet().path("spec").path("template");
  }

  Map<String, String> podLabels() {
    return strings(podTemplate().path("metadata").path("labels"));
  }

  Map<String, String> podAnnotations() {
    return strings(podTemplate().path("metadata").path("annotations"));
  }

  JsonNode container() {
    JsonNode containers = podTemplate().path("spec").path("containers");
    if (containers.size() != 1) {
      throw new AssertionError("expected one container, found " + containers.size());
    }
    return containers.get(0);
  }

  /** The container's ports by name. */
  Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (JsonNode p : container().path("ports")) {
      ports.put(p.path("name").asText(), p.path("containerPort").asInt());
    }
    return ports;
  }

  /** The port number a probe or service port names (by name or number). */
  int port(JsonNode portRef) {
    if (portRef.isInt()) {
      return portRef.asInt();
    }
    Integer port = containerPorts().get(portRef.asText());
    if (port == null) {
      throw new AssertionError("no container port named " + portRef.asText());
    }
    return port;
  }

  /**
   * The environment the container gets: the ConfigMaps of {@code envFrom}, then {@code env} (which
   * wins), with downward-API fields and Secret keys taken from the given maps.
   *
   * @param fields values of {@code fieldRef} by field path ({@code status.podIP})
   * @param secrets values of {@code secretKeyRef} by {@code <secret>/<key>}; an optional one that
   *     is missing leaves its variable unset
   */
  Map<String, String> environment(Map<String, String> fields, Map<String, String> secrets) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container().path("envFrom")) {
      String configMap = from.path("configMapRef").path("name").asText(null);
      if (configMap == null) {
        throw new AssertionError("unsupported envFrom " + from);
      }
      env.putAll(strings(named("ConfigMap", configMap).path("data")));
    }
    for (JsonNode e : container().path("env")) {
      String name = e.path("name").asText();
      JsonNode from = e.path("valueFrom");
      String value;
      if (e.has("value")) {
        value = e.path("value").asText();
      } else if (from.has("fieldRef")) {
        value = require(fields, from.path("fieldRef").path("fieldPath").asText(), name);
      } else if (from.has("secretKeyRef")) {
        JsonNode ref = from.path("secretKeyRef");
        String key = ref.path("name").asText() + "/" + ref.path("key").asText();
        if (ref.path("optional").asBoolean(false) && !secrets.containsKey(key)) {
          // As Kubernetes does: a missing optional Secret leaves the variable unset.
          continue;
        }
        value = require(secrets, key, name);
      } else {
        throw new AssertionError("unsupported env " + e);
      }
      env.put(name, value);
    }
    return env;
  }

  private static String require(Map<String, String> values, String key, String env) {
    String v = values.get(key);
    if (v == null) {
      throw new AssertionError(env + " refers to " + key + ", which the test does not supply");
    }
    return v;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new HashMap<>();
    node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    return out;
  }
}
