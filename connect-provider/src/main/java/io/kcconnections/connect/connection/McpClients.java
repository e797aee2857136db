package io.kcconnections.connect.connection;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.store.ClientRegistration;
import io.kcconnections.connect.store.ClientRegistrations;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenCodec;
import jakarta.persistence.PersistenceException;
import org.keycloak.models.RealmModel;

/**
 * The realm's clients at MCP authorization servers as an admin manages them: list, configure the client to use for
 * an issuer (instead of a dynamic registration; its secret stored encrypted like tokens), remove.
 */
public final class McpClients {

    private static final List<String> METHODS = List.of("client_secret_basic", "client_secret_post", "none");

    private final ConnectService connect;

    McpClients(ConnectService connect) {
        this.connect = connect;
    }

    /**
     * A client an admin gives for an issuer; blank values are absent.
     *
     * @param tokenEndpointAuthMethod null: {@code client_secret_basic} with a secret, else {@code none}
     */
    public record Request(String issuer, String clientId, String clientSecret, String tokenEndpointAuthMethod) {

        /** From a JSON object body; 400 when it is not one. */
        public static Request parse(String body) throws ConnectError {
            JsonNode j = Inputs.jsonObject(body);
            return new Request(text(j, "issuer"), text(j, "clientId"), text(j, "clientSecret"),
                    text(j, "tokenEndpointAuthMethod"));
        }

        private static String text(JsonNode j, String name) {
            JsonNode n = j.get(name);
            return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText().trim() : null;
        }
    }

    /** What was stored, and what it replaced (null: nothing). */
    public record Configured(ClientRegistration registration, ClientRegistration replaced) {
    }

    public List<ClientRegistration> list() {
        return Stores.registrations(connect.session()).list(connect.realm().getId());
    }

    public Configured configure(Request r) throws ConnectError {
        String method = r.tokenEndpointAuthMethod() != null ? r.tokenEndpointAuthMethod()
                : r.clientSecret() == null ? "none" : "client_secret_basic";
        List<String> problems = problems(r, method);
        if (!problems.isEmpty()) {
            throw new ConnectError(400, "invalid_mcp_client", "the client is refused: " + String.join("; ", problems), problems);
        }
        KeyRing ring = connect.keyRing();
        RealmModel realm = connect.realm();
        ClientRegistrations store = Stores.registrations(connect.session());
        ClientRegistration before = store.find(realm.getId(), r.issuer()).orElse(null);
        long now = System.currentTimeMillis();
        String id = UUID.randomUUID().toString();
        ClientRegistration reg = new ClientRegistration(id, realm.getId(), r.issuer(), r.clientId(),
                r.clientSecret() == null ? null
                        : ring.encrypt(r.clientSecret(), TokenCodec.aad(realm.getId(), id, ClientRegistration.SECRET)),
                null, null, method, OAuthClient.callbackUri(connect.session(), realm, McpConnect.PROVIDER),
                before == null ? Map.of() : before.endpoints(), null, ring.primaryKeyId(), ClientRegistration.CONFIGURED,
                now, now);
        try {
            if (before != null) {
                store.delete(before.id());
            }
            store.insert(reg);
        } catch (PersistenceException e) {
            connect.session().getTransactionManager().setRollbackOnly();
            throw new ConnectError(409, "conflict", "another change to this issuer's client happened at the same moment");
        }
        return new Configured(reg, before);
    }

    private List<String> problems(Request r, String method) {
        List<String> problems = new ArrayList<>();
        String issuer = r.issuer();
        if (issuer == null) {
            problems.add("issuer is required");
        } else {
            String bad = issuer.length() > 2048 ? "longer than 2048 characters" : connect.registry().hostPolicy().checkUrl(issuer);
            if (bad == null && (URI.create(issuer).getRawQuery() != null || issuer.contains("#"))) {
                bad = "an issuer has no query or fragment";
            }
            if (bad != null) {
                problems.add("issuer is refused: " + bad);
            }
        }
        String clientId = r.clientId();
        if (clientId == null || clientId.length() > 255 || !clientId.matches("[\\x21-\\x7E]+")) {
            problems.add("clientId is required: 1-255 printable characters");
        }
        String secret = r.clientSecret();
        if (!METHODS.contains(method)) {
            problems.add("tokenEndpointAuthMethod must be one of " + String.join(", ", METHODS));
        } else if (method.equals("none") && secret != null) {
            problems.add("a public client (none) has no clientSecret");
        } else if (!method.equals("none") && secret == null) {
            problems.add("clientSecret is required for " + method);
        }
        if (secret != null && secret.length() > 4096) {
            problems.add("clientSecret is longer than 4096 characters");
        }
        return problems;
    }

    /** @return the registration removed */
    public ClientRegistration remove(String issuer) throws ConnectError {
        if (issuer == null || issuer.isBlank() || issuer.length() > 2048 || issuer.chars().anyMatch(c -> c < 0x20)) {
            throw ConnectError.badRequest("invalid_request", "issuer is required: a URL of at most 2048 characters");
        }
        ClientRegistrations store = Stores.registrations(connect.session());
        ClientRegistration r = store.find(connect.realm().getId(), issuer).orElse(null);
        if (r == null || !store.delete(r.id())) {
            throw new ConnectError(404, "not_found", "no client for issuer " + Inputs.shown(issuer));
        }
        return r;
    }
}
