package io.kcconnections.connect.oauth;

import java.io.IOException;
import java.io.InterruptedIOException;

import io.kcconnections.connect.net.Deadline;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.net.PinnedClients;
import org.apache.http.client.methods.HttpUriRequest;
import org.jboss.logging.Logger;

/**
 * Sends a provider request: the resolved-address guard first, then {@link OutboundHttp}; network trouble comes back as
 * a transient {@link ProviderCallException}. Logs the method, the URL without its query, the status and the time.
 */
final class ProviderTransport {

    /** The log category stays {@link OAuthClient}'s, as before the split. */
    private static final Logger LOG = Logger.getLogger(OAuthClient.class);

    private final HostPolicy policy;
    private final OutboundHttp http;

    ProviderTransport(OutboundHttp http, HostPolicy policy) {
        this.policy = policy;
        this.http = http;
    }

    OutboundHttp.Reply send(ResolvedProvider p, Outbound out) throws ProviderCallException {
        String refusal = policy.checkResolved(out.url());
        if (refusal != null) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "address_refused", 0, null, refusal);
        }
        long started = System.nanoTime();
        try {
            OutboundHttp.Reply r = http.send(out.toRequest());
            LOG.debugf("provider %s: %s %s -> HTTP %d in %d ms", p.name(), out.method(), out.shown(), r.status(),
                    (System.nanoTime() - started) / 1_000_000);
            return r;
        } catch (PinnedClients.RefusedAddress e) {
            // The name resolved to a public address for the check above and to an internal one for the connect.
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "address_refused", 0, null, e.getMessage());
        } catch (Deadline.TooLarge e) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "response_too_large", 0, null,
                    "provider answer refused: " + e.getMessage());
        } catch (InterruptedIOException e) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "timeout", 0, null,
                    "provider did not answer in time (" + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "network", 0, null,
                    "provider unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The Apache request a DELETE with a body becomes (GitHub's revocation). */
    static HttpUriRequest deleteWithBody(Outbound out) throws IOException {
        return OutboundHttp.deleteWithBody(out.toRequest());
    }
}
