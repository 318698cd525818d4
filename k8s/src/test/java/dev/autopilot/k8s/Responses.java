package dev.autopilot.k8s;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock-server response that answers a sequence of statuses, one per request, repeating the last;
 * a success answers {@code body}, a failure a Kubernetes {@link Status}. The sequence can be
 * switched while the server runs ({@link #answer}: a fault that starts or heals), and every request
 * is stamped with the time of a clock ({@link #stamps()}).
 */
final class Responses implements ResponseProvider<Object> {
  private volatile List<Integer> codes;
  private final Object body;
  private final String failureMessage;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger sinceSwitch = new AtomicInteger();
  private final List<Instant> stamps = new CopyOnWriteArrayList<>();
  private volatile Clock clock = Clock.systemUTC();
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

  /** From now on answers this sequence (from its start), repeating the last. */
  Responses answer(Integer... codes) {
    this.codes = List.of(codes);
    sinceSwitch.set(0);
    return this;
  }

  /** Stamps the requests with {@code clock}'s time from now on. */
  Responses stampedBy(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** When each request arrived, in order. */
  List<Instant> stamps() {
    return List.copyOf(stamps);
  }

  @Override
  public int getStatusCode(RecordedRequest request) {
    calls.incrementAndGet();
    stamps.add(clock.instant());
    List<Integer> sequence = codes;
    int n = sinceSwitch.getAndIncrement();
    current = sequence.get(Math.min(n, sequence.size() - 1));
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
