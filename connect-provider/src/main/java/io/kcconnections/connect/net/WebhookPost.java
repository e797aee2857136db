package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;

import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;

/**
 * One webhook delivery to an app's endpoint: a JSON POST over the pinned client of its own ({@link PinnedClients},
 * {@code WEBHOOKS}: the host resolved once, non-public addresses refused unless private hosts are allowed), the URL
 * checked by the host policy first, no redirect followed (a 3xx is an answer like any other: not delivered), a total
 * deadline ({@link Deadline}) and at most {@value #MAX_ANSWER_BYTES} bytes of the answer read; its
 * {@code Retry-After}, when usable ({@link RetryAfter}), goes back with the status. Logs nothing.
 */
public final class WebhookPost {

    /** The most of an endpoint's answer that is read; its body is not used. */
    static final long MAX_ANSWER_BYTES = 16 * 1024;

    /**
     * What happened: the endpoint's status, or none (0) and why it could not be reached.
     *
     * @param error            a short reason safe to show and store (no URL query, no secret); null when the endpoint
     *                         answered
     * @param retryAfterMillis the wait its {@code Retry-After} header asks for, from when the answer was read; null
     *                         without a usable one (the caller decides whether and how far to honour it)
     */
    public record Result(int status, String error, Long retryAfterMillis) {

        /** No answer, or an answer without a usable {@code Retry-After}. */
        public Result(int status, String error) {
            this(status, error, null);
        }

        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private final HostPolicy policy;
    private final long deadlineMillis;

    public WebhookPost(HostPolicy policy, long deadlineMillis) {
        this.policy = policy;
        this.deadlineMillis = deadlineMillis;
    }

    /** Posts {@code body} with {@code headers}; never throws for a network failure, a refusal or a timeout. */
    public Result post(String url, String body, Map<String, String> headers) {
        String refused = policy.checkUrl(url);
        if (refused != null) {
            return new Result(0, "address refused: " + refused);
        }
        HttpPost post = new HttpPost(url);
        post.setConfig(OutboundHttp.pinnedConfig(deadlineMillis));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        headers.forEach(post::setHeader);
        try {
            Deadline.Answer a = Deadline.execute(PinnedClients.client(PinnedClients.Use.WEBHOOKS, policy.allowPrivate()),
                    post, MAX_ANSWER_BYTES, deadlineMillis);
            return new Result(a.status(), null, RetryAfter.millis(a.retryAfter(), System.currentTimeMillis()));
        } catch (PinnedClients.RefusedAddress e) {
            return new Result(0, "address refused: " + e.getMessage());
        } catch (Deadline.TooLarge e) {
            return new Result(0, "answer larger than " + MAX_ANSWER_BYTES + " bytes");
        } catch (InterruptedIOException e) {
            return new Result(0, "no answer within " + deadlineMillis + " ms");
        } catch (IOException e) {
            return new Result(0, "unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }
}
