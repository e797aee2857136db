package io.kcconnections.connect.connection;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.mcp.McpConnect;

/**
 * An authorization started and not yet called back: what the callback needs to finish it, bound to the realm, the
 * person, the app (client id), the provider, the connection id and the redirect URI it was started with. Kept in
 * Keycloak's single-use store under its state ({@link AuthorizationStates}).
 *
 * @param scopes           the scopes requested at the provider
 * @param connectionValues per-connection template values (e.g. a shop domain)
 * @param mcp              the MCP server's URL, resource and issuer; null for a catalog provider
 * @param verifierCiphertext the PKCE verifier, encrypted for this state; null without PKCE (and before the start)
 * @param browserSession   the Keycloak SSO session of the browser that opened the start page; the callback must come
 *                         from that same session. Null before the start
 */
public record PendingAuthorization(String realmId, String userId, String clientId, String provider,
                                   String connectionId, String redirectUri, List<String> scopes,
                                   Map<String, String> connectionValues, Mcp mcp, String verifierCiphertext,
                                   String browserSession) {

    /** The MCP server an authorization connects (RFC 9728 resource, its authorization server's issuer). */
    public record Mcp(String serverUrl, String resource, String issuer) {
    }

    private static final String VALUE = "param.";

    public PendingAuthorization {
        scopes = List.copyOf(scopes);
        connectionValues = Map.copyOf(connectionValues);
    }

    /** Started in a browser: bound to its SSO session, with the PKCE verifier encrypted for the state. */
    PendingAuthorization startedIn(String browserSession, String verifierCiphertext) {
        return new PendingAuthorization(realmId, userId, clientId, provider, connectionId, redirectUri, scopes,
                connectionValues, mcp, verifierCiphertext, browserSession);
    }

    /** The notes form kept in the single-use store (flat strings). */
    Map<String, String> toNotes() {
        Map<String, String> n = new HashMap<>();
        n.put("realm", realmId);
        n.put("user", userId);
        n.put("client", clientId);
        n.put("provider", provider);
        n.put("connection", connectionId);
        n.put("redirect", redirectUri);
        n.put("scopes", String.join(" ", scopes));
        connectionValues.forEach((k, v) -> n.put(VALUE + k, v));
        if (mcp != null) {
            n.put(McpConnect.SERVER_URL, mcp.serverUrl());
            n.put(McpConnect.RESOURCE, mcp.resource());
            n.put(McpConnect.ISSUER, mcp.issuer());
        }
        if (verifierCiphertext != null) {
            n.put("verifier", verifierCiphertext);
        }
        if (browserSession != null) {
            n.put("browser", browserSession);
        }
        return n;
    }

    static PendingAuthorization fromNotes(Map<String, String> n) {
        Map<String, String> values = new LinkedHashMap<>();
        n.forEach((k, v) -> {
            if (k.startsWith(VALUE)) {
                values.put(k.substring(VALUE.length()), v);
            }
        });
        Mcp mcp = n.containsKey(McpConnect.ISSUER)
                ? new Mcp(n.get(McpConnect.SERVER_URL), n.get(McpConnect.RESOURCE), n.get(McpConnect.ISSUER)) : null;
        List<String> scopes = List.of(n.getOrDefault("scopes", "").split(" ")).stream().filter(s -> !s.isEmpty()).toList();
        return new PendingAuthorization(n.get("realm"), n.get("user"), n.get("client"), n.get("provider"),
                n.get("connection"), n.get("redirect"), scopes, values, mcp, n.get("verifier"), n.get("browser"));
    }
}
