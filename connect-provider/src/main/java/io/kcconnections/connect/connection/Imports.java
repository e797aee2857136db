package io.kcconnections.connect.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Connections brought from another token store (svc-infra's {@code connection_tokens}, another vault): each row is a
 * person's tokens at a provider, written as a connection exactly as a consent would write it (encrypted under the
 * key ring, refresh scheduled). Re-running is safe: a row whose connection already exists for that person is
 * {@code exists}, so an interrupted import is resumed by importing again. A dry run checks every row and writes
 * nothing. Outcomes never carry a token.
 */
public final class Imports {

    /** Most rows in one call. */
    public static final int MAX_ROWS = 500;

    /**
     * One connection to import.
     *
     * @param user      the Keycloak user: id, username or email
     * @param expiresAt the access token's expiry, epoch milliseconds; null when it does not expire
     */
    public record Row(String user, String provider, String connectionId, String accessToken, String refreshToken,
                      Long expiresAt, List<String> scopes, String accountId, String accountName,
                      Map<String, String> metadata) {
    }

    /** What happened to row {@code index}: imported, would_import, exists, or an error code with a detail. */
    public record Outcome(int index, String user, String provider, String connectionId, String result, String detail) {
    }

    private final ConnectService connect;

    Imports(ConnectService connect) {
        this.connect = connect;
    }

    public List<Outcome> run(List<Row> rows, boolean dryRun) throws ConnectError {
        if (rows.size() > MAX_ROWS) {
            throw ConnectError.badRequest("invalid_request", "at most " + MAX_ROWS + " connections per call");
        }
        KeyRing ring = connect.keyRing();
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(one(i, rows.get(i), dryRun, ring));
        }
        return out;
    }

    private Outcome one(int i, Row row, boolean dryRun, KeyRing ring) {
        String invalid = invalid(row);
        if (invalid != null) {
            return outcome(i, row, "invalid", invalid);
        }
        KeycloakSession session = connect.session();
        RealmModel realm = connect.realm();
        UserModel user = user(session, realm, row.user());
        if (user == null) {
            return outcome(i, row, "unknown_user", "no user of this realm has this id, username or email");
        }
        ResolvedProvider provider = connect.registry().find(session, realm, row.provider());
        if (provider == null) {
            return outcome(i, row, "unknown_provider", "the provider is not usable in this realm");
        }
        if (!provider.openParams().isEmpty()) {
            return outcome(i, row, "invalid", "the provider needs per-connection values " + provider.openParams());
        }
        Connection existing = Stores.connections(session).find(realm.getId(), provider.name(), row.connectionId()).orElse(null);
        if (existing != null) {
            return existing.userId().equals(user.getId()) ? outcome(i, row, "exists", null)
                    : outcome(i, row, "connection_id_in_use", "another user has this connection id");
        }
        if (dryRun) {
            return outcome(i, row, "would_import", null);
        }
        TokenSet tokens = new TokenSet(row.accessToken(), row.refreshToken(), "Bearer", row.expiresAt(),
                row.scopes() == null ? List.of() : row.scopes(), null, null, Map.of());
        OAuthClient.Account account = row.accountId() == null ? null
                : new OAuthClient.Account(row.accountId(), row.accountName(), null);
        ConnectionWriter.Result r = connect.writer().writeInOwnTransaction(user.getId(), null, provider, row.connectionId(),
                tokens, row.metadata() == null ? Map.of() : row.metadata(), account, ring);
        return r.error() == null ? outcome(i, row, "imported", null) : outcome(i, row, r.error(), null);
    }

    private static String invalid(Row row) {
        if (row.user() == null || row.user().isBlank() || row.provider() == null || row.connectionId() == null) {
            return "user, provider and connection_id are required";
        }
        if (!Inputs.CONNECTION_ID.matcher(row.connectionId()).matches()) {
            return "connection_id must match " + Inputs.CONNECTION_ID.pattern();
        }
        if ((row.accessToken() == null || row.accessToken().isEmpty())
                && (row.refreshToken() == null || row.refreshToken().isEmpty())) {
            return "an access_token or a refresh_token is required";
        }
        if (row.accessToken() != null && row.accessToken().length() > 16384
                || row.refreshToken() != null && row.refreshToken().length() > 16384) {
            return "a token is longer than 16384 characters";
        }
        Map<String, String> m = row.metadata() == null ? Map.of() : row.metadata();
        if (m.size() > 32 || m.entrySet().stream().anyMatch(e -> e.getKey().length() > 64 || e.getValue().length() > 2048)) {
            return "metadata: at most 32 entries, keys up to 64 and values up to 2048 characters";
        }
        return null;
    }

    /** The user by id, then username, then email (only when exactly one user has it). */
    private static UserModel user(KeycloakSession session, RealmModel realm, String key) {
        UserModel u = Inputs.plausibleUserId(key) ? session.users().getUserById(realm, key) : null;
        if (u == null) {
            u = session.users().getUserByUsername(realm, key);
        }
        if (u == null && key.contains("@")) {
            try {
                u = session.users().getUserByEmail(realm, key);
            } catch (ModelDuplicateException e) {
                return null;
            }
        }
        return u;
    }

    private static Outcome outcome(int i, Row row, String result, String detail) {
        return new Outcome(i, Inputs.shown(row.user()), Inputs.shown(row.provider()), Inputs.shown(row.connectionId()),
                result, detail);
    }
}
