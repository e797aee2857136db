package io.kcconnections.connect.credentials;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.mcp.ConnectionProviders;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenCodec;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Prepares the check of one connection or credential inside a transaction (its row read, its secrets decrypted) as a
 * call to run outside it: HTTP types through {@link HttpCheck}, SMTP through {@link SmtpCheck}, databases through
 * {@link DatabaseCheck}, OAuth connections through {@link OAuthProbe}. Every call goes over the pinned outbound client
 * with the server's deadline and size cap.
 */
public final class HealthChecks {

    /** A prepared check: who it concerns (for the event) and the call. */
    public record Prepared(String realmId, String userId, String provider, String connectionId, Function<KeycloakSession, CheckResult> check) {
        @Override
        public String toString() {
            return "Prepared[" + realmId + "/" + connectionId + "]";
        }
    }

    private final ConnectSettings settings;
    private final KeyRingSource keys;
    private final HostPolicy policy;
    private final ConnectionProviders providers;
    private final CredentialCatalog catalog;

    public HealthChecks(ConnectSettings settings, KeyRingSource keys, HostPolicy policy, ConnectionProviders providers,
                        CredentialCatalog catalog) {
        this.settings = settings;
        this.keys = keys;
        this.policy = policy;
        this.providers = providers;
        this.catalog = catalog;
    }

    public CredentialCatalog catalog() {
        return catalog;
    }

    /** The check of a health row's connection or credential; null when there is nothing (left) to check. */
    Prepared prepare(KeycloakSession session, Health.State h) throws KeyRing.DecryptionException,
            KeyRingSource.KeyUnavailableException {
        if (Health.CREDENTIAL.equals(h.kind())) {
            Credential c = Stores.credentials(session).findById(h.id()).orElse(null);
            return c == null ? null : prepare(c);
        }
        Connection c = Stores.connections(session).findById(h.id()).orElse(null);
        if (c == null || c.status() == ConnectionStatus.PENDING) {
            return null;
        }
        RealmModel realm = session.realms().getRealm(c.realmId());
        if (realm == null) {
            return null;
        }
        var provider = providers.forConnection(session, realm, c);
        Long exp = c.tokens().expiresAt();
        boolean valid = c.tokens().accessTokenCiphertext() != null
                && (exp == null || exp > System.currentTimeMillis() + 30_000);
        String token = valid ? TokenCodec.accessToken(keys.ring(), c) : null;
        OAuthProbe.Input in = new OAuthProbe.Input(c.status(), provider, token);
        return new Prepared(c.realmId(), c.userId(), c.provider(), c.connectionId(), s -> OAuthProbe.run(http(s), policy, in));
    }

    /** The check of a credential (its secrets decrypted now); null for a type that has none (oauth_app). */
    public Prepared prepare(Credential c) throws KeyRing.DecryptionException, KeyRingSource.KeyUnavailableException {
        CredentialType type = CredentialType.of(c.type()).orElse(null);
        if (type == null || type == CredentialType.OAUTH_APP) {
            return null;
        }
        KeyRing ring = keys.ring();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.secrets().entrySet()) {
            secrets.put(e.getKey(), ring.decrypt(e.getValue(), Credential.aad(c.realmId(), c.id(), e.getKey())));
        }
        CredentialProvider provider = catalog.find(c.provider()).orElse(null);
        Map<String, String> fields = c.fields();
        long deadline = settings.outboundDeadlineMillis();
        Function<KeycloakSession, CheckResult> check = switch (type) {
            case SMTP -> s -> new SmtpCheck(policy, deadline).run(fields, secrets);
            case DATABASE -> s -> new DatabaseCheck(policy, deadline).run(fields, secrets);
            default -> s -> HttpCheck.run(http(s), policy, provider,
                    HttpCheck.request(type, provider, fields, secrets));
        };
        return new Prepared(c.realmId(), c.userId(), c.provider(), c.connectionId(), check);
    }

    /** Calls as the operator configured them (pinned client unless Keycloak's is chosen), on a session without a transaction. */
    private OutboundHttp http(KeycloakSession session) {
        return new OutboundHttp(session, policy, OutboundHttp.Options.of(settings));
    }
}
