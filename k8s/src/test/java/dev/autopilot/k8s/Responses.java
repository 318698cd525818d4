package dev.autopilot.k8s;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock-server response that answers a sequence of statuses, one per request, repeating the last;
 * a success answers {@code body}, a failure a Kubernetes {@link Status}.
 */
final class Responses implements ResponseProvider<Object> {
  private final List<Integer> codes;
  private final Object body;
  private final String failureMessage;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile int current;
  private Headers headers = new Headers.Builder().build();

  Responses(List<Integer> codes, Object body, String failureMessage) {
    this.codes = List.copyOf(codes);
    this.body = body;
    this.failureMessage = failureMessage;
  }

  /** Answers 429 (a PodDisruptionBudget refuses) {@code refusals} times, then 201. */
  static Responses pdb(int refusals) {
    Integer[] codes = new Integer[refusals + 1];
    java.util.Arrays.fill(codes, 429);
    codes[refusals] = 201;
    return new Responses(
        List.of(codes),
        new StatusBuilder().withStatus("Success").withCode(201).build(),
        "Cannot evict pod as it would violate the pod's disruption budget.");
  }

  /** A PodDisruptionBudget that never allows the eviction. */
  static Responses pdbBlocking() {
    return new Responses(
        List.of(429), null, "Cannot evict pod as it would violate the pod's disruption budget.");
  }

  int calls() {
    return calls.get();
  }

  @Override
  public int getStatusCode(RecordedRequest request) {
    int n = calls.getAndIncrement();
    current = codes.get(Math.min(n, codes.size() - 1));
    return current;
  }

  @Override
  public Object getBody(RecordedRequest request) {
    if (current < 300) {
      return body;
    }
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(current)
        .withMessage(failureMessage + " (HTTP " + current + ")")
        .build();
  }

  @Override
  public Headers getHeaders() {
    return headers;
  }

  @Override
  public void setHeaders(Headers headers) {
    this.headers = headers;
  }
}
