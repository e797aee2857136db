package io.kcconnections.connect.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.kcconnections.connect.credentials.CredentialProvider;
import io.kcconnections.connect.credentials.CredentialSchema;
import io.kcconnections.connect.credentials.CredentialType;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.CredentialRows;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import org.keycloak.models.ClientModel;

/**
 * Typed credentials (API keys, basic, bearer, SMTP, database, generic HTTP, an app's OAuth client): create, read
 * (never a secret), rotate fields, delete, reveal one field, check now. A person's own through the connect API; an
 * admin's for a person or a client's service account ({@link Owner}). Who may see and reveal what is decided here as
 * {@link Access} decides it for OAuth connections: the owner; reveals to the app that stored it (any app of the owner
 * when an admin did) and to reader service accounts; everything else answers the 404 a missing credential answers.
 */
public final class Credentials {

    /** Whose a credential is: a person's ({@code userId}) or a client's service account ({@code ownerClient}). */
    public record Owner(String userId, String ownerClient) {
        public static Owner of(Caller caller) {
            return caller.isServiceAccount() ? new Owner(null, caller.serviceAccountClient()) : new Owner(caller.userId(), null);
        }

        boolean owns(Credential c) {
            return userId != null ? userId.equals(c.userId()) : ownerClient.equals(c.ownerClient());
        }
    }

    /** A new credential as asked for. */
    public record Input(String connectionId, String provider, String type, Map<String, String> fields) {
        @Override
        public String toString() {
            return "Input[" + connectionId + ", " + provider + ", " + type + ", fields=" + (fields == null ? null : fields.keySet()) + "]";
        }
    }

    /** One revealed field. */
    public record Revealed(Credential credential, String field, String value) {
        @Override
        public String toString() {
            return "Revealed[" + credential + ", " + field + "]";
        }
    }

    private final ConnectService connect;

    Credentials(ConnectService connect) {
        this.connect = connect;
    }

    /** Stores a new credential for {@code owner}, made through {@code app} (null when an admin does). */
    public Credential create(Owner owner, ClientModel app, Input in) throws ConnectError {
        if (in.connectionId() == null || !Inputs.CONNECTION_ID.matcher(in.connectionId()).matches()) {
            throw invalid("connection_id: is required: letters, digits and . _ : - (at most 128)");
        }
        CredentialType type = CredentialType.of(in.type()).orElseThrow(() -> invalid("type: must be one of "
                + String.join(", ", java.util.Arrays.stream(CredentialType.values()).map(CredentialType::id).toList())));
        CredentialProvider provider = provider(type, in.provider());
        CredentialSchema.Checked checked = check(type, provider, in.fields() == null ? Map.of() : in.fields());
        String realmId = connect.realm().getId();
        CredentialRows rows = Stores.credentials(connect.session());
        if (rows.countOfType(realmId, owner.userId(), owner.ownerClient(), type.id()) >= connect.settings().maxConnectionsPerType()) {
            throw ConnectError.forbidden("connection_limit", "at most " + connect.settings().maxConnectionsPerType() + " "
                    + type.id() + " credentials each (max-connections-per-type)");
        }
        if (!Stores.connections(connect.session()).findByConnectionId(realmId, in.connectionId()).isEmpty()) {
            throw inUse();
        }
        String id = UUID.randomUUID().toString();
        KeyRing ring = connect.keyRing();
        long now = System.currentTimeMillis();
        Credential c = new Credential(id, realmId, in.connectionId(), owner.userId(), owner.ownerClient(),
                app == null ? null : app.getId(), in.provider(), type.id(), checked.fields(),
                encrypt(ring, realmId, id, checked.secrets()), ring.primaryKeyId(), now, now, 0);
        if (!rows.insert(c)) {
            throw inUse();
        }
        if (type != CredentialType.OAUTH_APP) {
            Stores.health(connect.session()).track(id, realmId, Health.CREDENTIAL, now);
        }
        return c;
    }

    /** Changes some fields (a null value removes an optional one); the others stay as stored. */
    public Credential update(Credential c, Map<String, String> changes) throws ConnectError {
        if (changes == null || changes.isEmpty()) {
            throw invalid("fields: name at least one field to change");
        }
        CredentialType type = CredentialType.of(c.type()).orElseThrow();
        KeyRing ring = connect.keyRing();
        Map<String, String> values = new LinkedHashMap<>(c.fields());
        try {
            for (Map.Entry<String, String> e : c.secrets().entrySet()) {
                values.put(e.getKey(), ring.decrypt(e.getValue(), Credential.aad(c.realmId(), c.id(), e.getKey())));
            }
        } catch (KeyRing.DecryptionException e) {
            throw new ConnectError(503, "encryption_unavailable", "the stored secrets cannot be decrypted with the server's keys");
        }
        changes.forEach((k, v) -> {
            if (v == null) {
                values.remove(k);
            } else {
                values.put(k, v);
            }
        });
        CredentialSchema.Checked checked = check(type, connect.credentialCatalog().find(c.provider()).orElse(null), values);
        Credential next = new Credential(c.id(), c.realmId(), c.connectionId(), c.userId(), c.ownerClient(), c.appClient(),
                c.provider(), c.type(), checked.fields(), encrypt(ring, c.realmId(), c.id(), checked.secrets()),
                ring.primaryKeyId(), c.createdAt(), c.updatedAt(), c.version());
        if (!Stores.credentials(connect.session()).update(next, System.currentTimeMillis())) {
            throw new ConnectError(409, "conflict", "the credential changed meanwhile; read it and try again");
        }
        return Stores.credentials(connect.session()).findById(c.id()).orElseThrow();
    }

    public void delete(Credential c) {
        Stores.credentials(connect.session()).delete(c.id());
        Stores.health(connect.session()).forget(c.id());
    }

    /** The owner's credentials; a reader names a person with {@code userId}. */
    public List<Credential> list(Caller caller, String userId) throws ConnectError {
        String realmId = connect.realm().getId();
        if (userId != null && !userId.equals(caller.userId())) {
            if (!connect.access().isReader(caller)) {
                throw ConnectError.forbidden("access_denied", "only the reader role may list another user's credentials");
            }
            return Stores.credentials(connect.session()).listByUser(realmId, userId);
        }
        Owner o = Owner.of(caller);
        return o.userId() != null ? Stores.credentials(connect.session()).listByUser(realmId, o.userId())
                : Stores.credentials(connect.session()).listByOwnerClient(realmId, o.ownerClient());
    }

    /** The credential the caller may see (owner, or a reader when {@code readersToo}); 404 otherwise. */
    public Credential visible(Caller caller, String connectionId, boolean readersToo) throws ConnectError {
        Credential c = find(connectionId);
        if (c == null || !(Owner.of(caller).owns(c) || (readersToo && connect.access().isReader(caller)))) {
            throw notFound();
        }
        return c;
    }

    /** The credential of an owner an admin named; 404 otherwise. */
    public Credential ofOwner(Owner owner, String connectionId) throws ConnectError {
        Credential c = find(connectionId);
        if (c == null || !owner.owns(c)) {
            throw notFound();
        }
        return c;
    }

    /**
     * One field's value, for the owner's app (the one that stored it; any of the owner's when an admin did) or a reader
     * service account. Every refusal is the same 404 and an event; every reveal an event.
     */
    public Revealed reveal(Caller caller, String connectionId, String field) throws ConnectError {
        Throttle.tokenRead(connect, caller);
        Credential c = find(connectionId);
        boolean reader = connect.access().isReader(caller);
        boolean ownApp = c != null && Owner.of(caller).owns(c)
                && (c.appClient() == null || c.appClient().equals(caller.client().getId()));
        boolean known = c != null && field != null && (c.fields().containsKey(field) || c.secrets().containsKey(field));
        if (c == null || !(reader || ownApp) || !known) {
            ConnectEvents.secretDenied(connect.session(), connect.realm(), caller.client(), caller.userId(),
                    Inputs.shown(connectionId), Inputs.shown(field), c == null ? "not_found" : !known ? "unknown_field" : "access_denied");
            throw notFound();
        }
        String value = c.fields().get(field);
        if (value == null) {
            try {
                value = connect.keyRing().decrypt(c.secrets().get(field), Credential.aad(c.realmId(), c.id(), field));
            } catch (KeyRing.DecryptionException e) {
                throw new ConnectError(503, "encryption_unavailable", "the stored secret cannot be decrypted with the server's keys");
            }
        }
        ConnectEvents.secretRevealed(connect.session(), connect.realm(), caller.client(),
                c.userId(), c.provider(), c.connectionId(), field);
        return new Revealed(c, field, value);
    }

    private Credential find(String connectionId) throws ConnectError {
        if (connectionId == null || !Inputs.CONNECTION_ID.matcher(connectionId).matches()) {
            throw notFound();
        }
        return Stores.credentials(connect.session()).find(connect.realm().getId(), connectionId).orElse(null);
    }

    private CredentialProvider provider(CredentialType type, String name) throws ConnectError {
        if (name == null || name.isBlank()) {
            if (type == CredentialType.OAUTH_APP) {
                throw invalid("provider: is required for oauth_app (a catalog provider)");
            }
            return null;
        }
        if (type == CredentialType.OAUTH_APP) {
            if (!Inputs.PROVIDER_NAME.matcher(name).matches() || !connect.registry().templates().containsKey(name)) {
                throw invalid("provider: is not an OAuth provider of the catalog");
            }
            return null;
        }
        CredentialProvider p = connect.credentialCatalog().find(name).orElse(null);
        if (p == null || !type.http()) {
            throw invalid("provider: " + Inputs.shown(name) + " is not a " + type.id() + " provider of the catalog");
        }
        if (!p.types().contains(type.id())) {
            throw invalid("type: " + p.name() + " takes " + String.join(", ", p.types()));
        }
        return p;
    }

    private CredentialSchema.Checked check(CredentialType type, CredentialProvider provider, Map<String, String> values)
            throws ConnectError {
        if (values.size() > 32) {
            throw invalid("fields: too many fields");
        }
        CredentialSchema.Checked checked = CredentialSchema.check(type, provider, values, connect.runtimePolicy());
        if (!checked.ok()) {
            List<String> problems = checked.problems().stream().map(p -> Inputs.safe(p.toString())).toList();
            throw new ConnectError(400, "invalid_credential", String.join("; ", problems), problems);
        }
        return checked;
    }

    private static Map<String, String> encrypt(KeyRing ring, String realmId, String id, Map<String, String> secrets) {
        Map<String, String> out = new LinkedHashMap<>();
        secrets.forEach((k, v) -> out.put(k, ring.encrypt(v, Credential.aad(realmId, id, k))));
        return out;
    }

    private static ConnectError invalid(String description) {
        return ConnectError.badRequest("invalid_credential", description);
    }

    private static ConnectError inUse() {
        return new ConnectError(409, "connection_id_in_use", "connection_id is already used in this realm");
    }

    private static ConnectError notFound() {
        return ConnectError.notFound("no such credential or field");
    }
}
