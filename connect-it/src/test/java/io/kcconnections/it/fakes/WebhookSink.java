package io.kcconnections.it.fakes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A receiver of webhooks out for cluster tests. Every POST is recorded with its Standard Webhooks headers, its body,
 * the answer given and the node that sent it: before answering, the sink asks {@code leaseOwnerOf} for the lease owner
 * of the delivery's outbox row (claimed, so leased, while it is being sent), whose first 8 characters are the node's
 * lease id. Under {@code /flaky} the first attempt of each webhook-id is answered 500, later ones 204; under
 * {@code /slow} every request is answered 204 after {@code slowMillis}; anywhere else 204 at once. Until every node of {@code overlap} has sent something (or {@code holdMillis} passed), each request is held:
 * the first node's pass stays busy with its claimed rows while the other node claims the rest, so both take part and
 * their claims run side by side. Requests are served concurrently.
 */
public final class WebhookSink implements AutoCloseable {

    /** One request the sink saw; {@code node} is the sending node's lease id (null: the row was not leased). */
    public record Delivery(String path, String id, String timestamp, String signature, String body, int answered,
                           String leaseOwner, String node) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Function<String, String> leaseOwnerOf;
    private final Set<String> overlap;
    private final long holdMillis;
    private final long slowMillis;
    private final Set<String> nodesSeen = ConcurrentHashMap.newKeySet();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    /**
     * @param leaseOwnerOf the lease owner of a delivery's outbox row, by its {@code webhook-id}
     * @param overlap      node lease ids to wait for before answering anything
     * @param holdMillis   the most a request is held for them
     * @param slowMillis   how long {@code /slow} takes to answer
     */
    public WebhookSink(Function<String, String> leaseOwnerOf, Set<String> overlap, long holdMillis, long slowMillis)
            throws IOException {
        this.leaseOwnerOf = leaseOwnerOf;
        this.overlap = overlap;
        this.holdMillis = holdMillis;
        this.slowMillis = slowMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = x.getRequestURI().getPath();
            String id = x.getRequestHeaders().getFirst("webhook-id");
            String owner = id == null ? null : leaseOwnerOf.apply(id);
            String node = owner == null || owner.length() < 8 ? null : owner.substring(0, 8);
            if (node != null) {
                nodesSeen.add(node);
            }
            holdForOverlap();
            if (path.equals("/slow")) {
                Thread.sleep(slowMillis);
            }
            int status = path.equals("/flaky") && id != null && failedOnce.add(id) ? 500 : 204;
            deliveries.add(new Delivery(path, id, x.getRequestHeaders().getFirst("webhook-timestamp"),
                    x.getRequestHeaders().getFirst("webhook-signature"), body, status, owner, node));
            x.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            x.close();
        }
    }

    private synchronized void holdForOverlap() {
        notifyAll();
        long until = System.currentTimeMillis() + holdMillis;
        while (!nodesSeen.containsAll(overlap) && System.currentTimeMillis() < until) {
            try {
                wait(Math.max(1, until - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The deliveries to {@code path}, in the order they were answered. */
    public List<Delivery> to(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    /** The Standard Webhooks signature {@code v1,<base64 HMAC-SHA256>} of a delivery under a {@code whsec_} secret. */
    public static String sign(String secret, String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outbox row id of a {@code webhook-id} ({@code msg_} and the row's UUID without dashes). */
    public static String rowId(String webhookId) {
        String h = webhookId.substring("msg_".length());
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                + h.substring(20);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
