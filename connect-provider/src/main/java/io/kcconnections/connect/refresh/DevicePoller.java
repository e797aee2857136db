package io.kcconnections.connect.refresh;

import java.util.List;

import io.kcconnections.connect.background.TimerWorker;
import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The fast timer for pending device authorizations: every few seconds, claims the pending rows whose next poll is
 * due ({@code SKIP LOCKED}, as the refresh pass does, so two nodes never poll one device code at once) and polls each
 * once. A row's next poll time carries the provider's interval, lengthened by every {@code slow_down}.
 */
public final class DevicePoller implements Runnable {

    private static final Logger LOG = Logger.getLogger(DevicePoller.class);
    /** Rows claimed per tick: few, so that each is polled well within its lease. */
    private static final int PAGE = 8;

    private final KeycloakSessionFactory sessionFactory;
    private final Refresher refresher;
    private final ConnectSettings settings;
    private final TimerWorker worker = new TimerWorker("kc-connect-device-poll");

    public DevicePoller(KeycloakSessionFactory sessionFactory, Refresher refresher, ConnectSettings settings) {
        this.sessionFactory = sessionFactory;
        this.refresher = refresher;
        this.settings = settings;
    }

    /** The timer's tick: hands the work to this poller's thread and returns at once. */
    @Override
    public void run() {
        worker.tick(this::pollDue);
    }

    /** Polls what is due now, on the calling thread; answers how many rows it claimed. */
    public int pollDue() {
        ConnectSettings s = settings;
        String owner = LeaseOwners.next();
        long now = System.currentTimeMillis();
        long leaseUntil = now + s.refreshLeaseSeconds() * 1000L;
        // Poll only while at least half the lease is left: a row whose lease ends before its poll does is another
        // node's to take, and two polls of one device code make the provider answer slow_down (or the loser's
        // tokens are refused at write-back). Rows not reached keep their lease until it ends, then are due again.
        long stopAt = now + s.refreshLeaseSeconds() * 500L;
        List<Connection> due = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                session -> Stores.pendingGrants(session).claimDue(owner, now, leaseUntil, PAGE));
        for (Connection c : due) {
            if (System.currentTimeMillis() > stopAt) {
                LOG.debugf("device poll: out of lease time; %s waits for the next tick", c.id());
                continue;
            }
            try {
                KeycloakModelUtils.runJobInTransaction(sessionFactory, session -> {
                    RealmModel realm = session.realms().getRealm(c.realmId());
                    if (realm == null) {
                        return;
                    }
                    session.getContext().setRealm(realm);
                    refresher.refreshClaimed(session, realm, c, owner);
                });
            } catch (RuntimeException e) {
                LOG.warnf("device poll of connection %s failed unexpectedly: %s", c.id(), e.toString());
            }
        }
        return due.size();
    }

    public void close() {
        worker.close();
    }
}
