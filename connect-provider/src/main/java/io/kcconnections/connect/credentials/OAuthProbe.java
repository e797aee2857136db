package io.kcconnections.connect.credentials;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.net.OutboundRequest;
import io.kcconnections.connect.spi.template.AccountSpec;
import io.kcconnections.connect.store.ConnectionStatus;

/**
 * The check of an OAuth connection: a connection that needs the person again fails; one whose provider has an
 * account endpoint and whose access token is still valid makes that cheap call with it (2xx passes); otherwise the
 * refresher's view decides (active passes, degraded fails). Tokens are renewed by the refresher, never here.
 */
final class OAuthProbe {

    private OAuthProbe() {
    }

    /** What the probe needs of a connection, read in a transaction; the access token is null when expired or absent. */
    record Input(ConnectionStatus status, ResolvedProvider provider, String accessToken) {
        @Override
        public String toString() {
            return "Input[" + status + ", " + (provider == null ? null : provider.name()) + "]";
        }
    }

    static CheckResult run(OutboundHttp http, HostPolicy policy, Input in) {
        if (in.status() == ConnectionStatus.NEEDS_REAUTH || in.status() == ConnectionStatus.FAILED) {
            return CheckResult.fail(in.status().id(), "the person must connect again");
        }
        if (in.provider() == null) {
            return CheckResult.fail("provider_unavailable", "the provider is not configured in the realm");
        }
        AccountSpec a = in.provider().template().account();
        if (in.accessToken() == null || a == null || a.source() != AccountSpec.Source.USERINFO
                || in.provider().userinfoUrl() == null) {
            return in.status() == ConnectionStatus.DEGRADED
                    ? CheckResult.fail("degraded", "the last refresh failed") : CheckResult.OK;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", a.scheme() + " " + in.accessToken());
        headers.put("Accept", "application/json");
        headers.putAll(in.provider().accountHeaders());
        boolean post = "POST".equals(a.method());
        OutboundRequest req = new OutboundRequest(post ? "POST" : "GET", in.provider().userinfoUrl(), false,
                post ? null : Map.of(), headers);
        CredentialProvider.Check okAt2xx = new CredentialProvider.Check(req.method(), "/", null);
        return HttpCheck.run(http, policy, new CredentialProvider("oauth", "oauth", null, null, null, null, null, null,
                okAt2xx, null, null), req);
    }
}
