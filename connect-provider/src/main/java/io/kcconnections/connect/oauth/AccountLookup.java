package io.kcconnections.connect.oauth;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.net.OutboundRequest;
import io.kcconnections.connect.net.PinnedClients;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.template.AccountSpec;
import org.jboss.logging.Logger;
import org.keycloak.util.JsonSerialization;

/**
 * Identifies the provider-side account behind a new token, where the template's {@code account} says: the userinfo
 * endpoint, the ID token's claims, or the token response itself. Never fails a connection: a failed lookup is logged
 * (without the token) and gives null.
 */
final class AccountLookup {

    /** The log category stays {@link OAuthClient}'s, as before the split. */
    private static final Logger LOG = Logger.getLogger(OAuthClient.class);

    /** What a source gave: {@code json} may be null (a JSON {@code null}), which still makes an empty account. */
    private record Found(JsonNode json) {
    }

    private final OutboundHttp http;
    private final HostPolicy policy;

    AccountLookup(OutboundHttp http, HostPolicy policy) {
        this.http = http;
        this.policy = policy;
    }

    /** See {@link OAuthClient#account}. */
    OAuthClient.Account account(ResolvedProvider p, TokenSet tokens) {
        AccountSpec a = p.template().account();
        if (a == null) {
            return null;
        }
        try {
            Found found = switch (a.source()) {
                case USERINFO -> userinfo(p, a, tokens);
                case ID_TOKEN -> idTokenClaims(tokens);
                default -> new Found(JsonSerialization.readValue(tokens.raw(), JsonNode.class));
            };
            if (found == null) {
                return null;
            }
            JsonNode json = found.json();
            Map<String, String> captured = new LinkedHashMap<>();
            a.capture().forEach((name, pointer) -> {
                String v = JsonFields.text(json, pointer);
                if (v != null && v.length() <= 512) {
                    captured.put(name, v);
                }
            });
            return new OAuthClient.Account(JsonFields.text(json, a.id()), JsonFields.text(json, a.name()),
                    JsonFields.text(json, a.email()), captured, verified(json, a.emailVerified()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.infof("provider %s: account lookup failed (%s); the connection is stored without an account id",
                    p.name(), e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * The provider's email-verified flag: JSON {@code true} or the text {@code "true"} (Apple's ID token sends either).
     * No pointer, no flag or anything else: not verified.
     */
    static boolean verified(JsonNode json, String pointer) {
        if (pointer == null || json == null) {
            return false;
        }
        return "true".equalsIgnoreCase(JsonFields.text(json, pointer));
    }

    /** The userinfo answer; null when the address is refused or the answer is not a success (both logged). */
    private Found userinfo(ResolvedProvider p, AccountSpec a, TokenSet tokens) throws IOException {
        String url = p.userinfoUrl();
        String refusal = policy.checkResolved(url);
        if (refusal != null) {
            LOG.warnf("provider %s: userinfo call refused: %s", p.name(), refusal);
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", a.scheme() + " " + tokens.accessToken());
        headers.put("Accept", "application/json");
        headers.putAll(p.accountHeaders());
        boolean post = "POST".equals(a.method());
        OutboundHttp.Reply resp;
        try {
            // A POST carries no body and no Content-Type (Dropbox refuses both on its RPC endpoints without arguments).
            resp = http.send(new OutboundRequest(post ? "POST" : "GET", url, false, post ? null : Map.of(), headers));
        } catch (PinnedClients.RefusedAddress e) {
            LOG.warnf("provider %s: userinfo call refused: %s", p.name(), e.getMessage());
            return null;
        }
        if (resp.status() / 100 != 2) {
            LOG.infof("provider %s: userinfo answered HTTP %d; the connection is stored without an account id",
                    p.name(), resp.status());
            return null;
        }
        return new Found(JsonSerialization.readValue(resp.body(), JsonNode.class));
    }

    /**
     * The ID token's claims. Received straight from the token endpoint over TLS (OIDC Core 3.1.3.7): the claims are
     * read, not verified. Null when there is no ID token or it is not a JWS.
     */
    private static Found idTokenClaims(TokenSet tokens) throws IOException {
        if (tokens.idToken() == null) {
            return null;
        }
        String[] parts = tokens.idToken().split("\\.");
        if (parts.length < 2) {
            return null;
        }
        return new Found(JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[1]), JsonNode.class));
    }
}
