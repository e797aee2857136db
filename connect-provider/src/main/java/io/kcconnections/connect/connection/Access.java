package io.kcconnections.connect.connection;

import java.util.List;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The one place that decides who may see or use a connection. The owner is the person who connected it, or for a
 * client-owned connection (client credentials) that client's service account; a service account holding the
 * token-reader role reads any connection of the realm.
 */
public final class Access {

    private final ConnectService connect;

    Access(ConnectService connect) {
        this.connect = connect;
    }

    /** Whether the caller is a service account holding the token-reader role. */
    public boolean isReader(Caller caller) {
        return caller.isServiceAccount() && caller.hasRealmRole(connect.settings().tokenReaderRole());
    }

    /** The caller owns a connection: its person, or, for a client-owned one, the owning client's service account. */
    public static boolean owns(Caller caller, Connection c) {
        if (c.clientOwned()) {
            return c.identity().ownerClient().equals(caller.serviceAccountClient());
        }
        return caller.userId().equals(c.userId());
    }

    /**
     * Whether the caller's app may have the tokens of a connection it may see: the app that made it, an app the
     * admin allows for the provider ({@code allowedClients}), a reader service account, or the owning client of a
     * client connection. Connections made before the app was recorded stay readable by any app of their person.
     */
    public boolean mayRead(Caller caller, Connection c) {
        String app = c.identity().appClient();
        if (isReader(caller) || app == null || app.equals(caller.client().getId())) {
            return true;
        }
        ResolvedProvider p = connect.registry().find(connect.session(), connect.realm(), c.provider());
        return p != null && p.config().allowedClients().contains(caller.client().getClientId());
    }

    /**
     * The one connection the caller may see under this id: the caller's own, or any when {@code readersToo} and the
     * caller holds the reader role. 404 alike when nothing is stored and when it is someone else's.
     */
    public Connection visible(Caller caller, String connectionId, String providerName, boolean readersToo)
            throws ConnectError {
        List<Connection> found = lookup(connectionId, providerName);
        boolean reader = readersToo && isReader(caller);
        List<Connection> mine = found.stream().filter(c -> reader || owns(caller, c)).toList();
        if (mine.isEmpty()) {
            // Someone else's connection gets the answer a missing one gets: ids cannot be probed for existence.
            throw ConnectError.notFound("no connection " + Inputs.shown(connectionId) + " is stored"
                    + (providerName == null ? "" : " for provider " + Inputs.shown(providerName)));
        }
        if (mine.size() > 1) {
            throw ConnectError.badRequest("ambiguous_connection", "several providers have this connection_id: pass provider");
        }
        return mine.get(0);
    }

    /**
     * The connection the caller may remove: only its owner's. A reader, who may see it, gets 403; anyone else the 404
     * a missing connection gets.
     */
    public Connection removable(Caller caller, String connectionId, String providerName) throws ConnectError {
        Connection c = visible(caller, connectionId, providerName, true);
        if (!owns(caller, c)) {
            throw ConnectError.forbidden("access_denied", "readers read connections, never remove them");
        }
        return c;
    }

    /** Connections with this id in the realm (of one provider when named); validates both values. */
    private List<Connection> lookup(String connectionId, String providerName) throws ConnectError {
        if (connectionId == null || !Inputs.CONNECTION_ID.matcher(connectionId).matches()) {
            throw ConnectError.badRequest("invalid_request", "connection_id is malformed");
        }
        String realmId = connect.realm().getId();
        if (providerName != null && !providerName.isBlank()) {
            if (!Inputs.PROVIDER_NAME.matcher(providerName).matches()) {
                throw ConnectError.badRequest("invalid_request", "provider is malformed");
            }
            return Stores.connections(connect.session()).findForRead(realmId, providerName, connectionId);
        }
        return Stores.connections(connect.session()).findForRead(realmId, null, connectionId);
    }

    /** A provider configured in the request's realm, by the name a caller gave; 400 when unknown or malformed. */
    public ResolvedProvider provider(String name) throws ConnectError {
        if (name == null || name.isBlank()) {
            throw ConnectError.badRequest("invalid_request", "provider is required");
        }
        if (!Inputs.PROVIDER_NAME.matcher(name).matches()) {
            throw ConnectError.badRequest("unknown_provider", "provider is malformed");
        }
        RealmModel realm = connect.realm();
        ResolvedProvider p = connect.registry().find(connect.session(), realm, name);
        if (p == null) {
            throw ConnectError.badRequest("unknown_provider", "provider " + Inputs.shown(name) + " is not configured in this realm");
        }
        return p;
    }

    /**
     * The connections a caller may list: their own; a user's, for a reader naming {@code userId}; a client's own,
     * for a service account naming no one. Never with tokens.
     */
    public List<Connection> list(Caller caller, String userId) throws ConnectError {
        String realmId = connect.realm().getId();
        String owner = caller.userId();
        if (userId != null && !userId.equals(owner)) {
            if (!isReader(caller)) {
                throw ConnectError.forbidden("access_denied", "only the reader role may list another user's connections");
            }
            UserModel u = Inputs.plausibleUserId(userId)
                    ? connect.session().users().getUserById(connect.realm(), userId) : null;
            if (u == null) {
                throw ConnectError.notFound("no such user");
            }
            owner = u.getId();
        } else if (caller.isServiceAccount() && userId == null) {
            // A service account without ?user_id= sees the connections its client owns.
            return Stores.connections(connect.session()).listByOwnerClient(realmId, caller.serviceAccountClient());
        }
        return Stores.connections(connect.session()).listByUser(realmId, owner);
    }

    /**
     * One connection the caller may see, as it stands now: an app polls a pending device authorization here, so the
     * provider is polled when a poll is due.
     */
    public Connection current(Caller caller, String connectionId, String providerName) throws ConnectError {
        Connection c = visible(caller, connectionId, providerName, true);
        Connection now = connect.refresher().pollIfDue(connect.session(), connect.realm(), c);
        if (now == null) {
            throw ConnectError.notFound("the connection was removed");
        }
        return now;
    }

    /** A person's connection id must not belong to someone else (403 {@code connection_id_in_use}). */
    static void requireFreeFor(Connection existing, String userId) throws ConnectError {
        if (existing != null && !userId.equals(existing.userId())) {
            throw ConnectError.forbidden("connection_id_in_use", "connection_id belongs to another owner");
        }
    }
}
