package io.kcconnections.connect.store;

import java.util.LinkedHashSet;
import java.util.Set;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/**
 * What one session's transaction changed in the connection table, for {@link RowCache}: row ids, lookup keys made
 * stale by an insert, or everything (bulk deletes). Invalidated on this node and announced to the others once the
 * transaction commits (a rolled-back write changed nothing).
 */
final class RowChanges {

    private static final String ATTRIBUTE = RowChanges.class.getName();

    private final KeycloakSession session;
    private final Set<String> changed = new LinkedHashSet<>();

    private RowChanges(KeycloakSession session) {
        this.session = session;
    }

    /** The session's collector; null outside a session (unit tests), where there is nothing to invalidate. */
    static RowChanges of(KeycloakSession session) {
        if (session == null) {
            return null;
        }
        RowChanges c = session.getAttribute(ATTRIBUTE, RowChanges.class);
        if (c == null) {
            c = new RowChanges(session);
            session.setAttribute(ATTRIBUTE, c);
        }
        return c;
    }

    void row(String id) {
        add(id);
    }

    /** A new row: the lookups of its id across providers may now find more. */
    void inserted(String realmId, String connectionId) {
        add(RowCache.key(realmId, null, connectionId));
    }

    void all() {
        add(RowCache.ALL);
    }

    private synchronized void add(String what) {
        if (changed.isEmpty()) {
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    flush();
                }

                @Override
                protected void rollbackImpl() {
                    changed.clear();
                }
            });
        }
        changed.add(what);
    }

    private synchronized void flush() {
        if (!changed.isEmpty()) {
            RowCache.committed(session, Set.copyOf(changed));
            changed.clear();
        }
    }
}
