package io.kcconnections.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP load from this process (the server is another process): {@code concurrency} threads, each sending
 * GET requests back to back, each thread as one user with that user's bearer token. Latencies of the measured window
 * only; every non-200 answer counts as an error.
 */
final class Load {

    record Target(String url, String bearer) {
    }

    record Result(double perSecond, double p50Millis, double p99Millis, long requests, long errors) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Sends one request; returns the status (for the checks before a measurement). */
    HttpResponse<String> once(Target t) throws Exception {
        return client.send(request(t), HttpResponse.BodyHandlers.ofString());
    }

    Result run(int concurrency, List<Target> targets, Duration warmUp, Duration measure) throws InterruptedException {
        long start = System.nanoTime() + warmUp.toNanos();
        long end = start + measure.toNanos();
        List<long[]> perThread = new ArrayList<>();
        int[] counts = new int[concurrency];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            long[] lat = new long[1 << 17];
            perThread.add(lat);
            Target t = targets.get(i % targets.size());
            int idx = i;
            HttpRequest req = request(t);
            Thread th = new Thread(() -> {
                try {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        int status;
                        try {
                            status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= start && t1 <= end) {
                            if (status != 200) {
                                errors.incrementAndGet();
                            }
                            if (counts[idx] < lat.length) {
                                lat[counts[idx]++] = t1 - t0;
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + i);
            th.setDaemon(true);
            th.start();
        }
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int i = 0; i < concurrency; i++) {
            System.arraycopy(perThread.get(i), 0, all, k, counts[i]);
            k += counts[i];
        }
        Arrays.sort(all);
        double seconds = measure.toNanos() / 1e9;
        return new Result(total / seconds, pct(all, 0.50), pct(all, 0.99), total, errors.get());
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    private static HttpRequest request(Target t) {
        return HttpRequest.newBuilder(URI.create(t.url())).header("Authorization", "Bearer " + t.bearer())
                .timeout(Duration.ofSeconds(30)).GET().build();
    }
}
