package io.kcconnections.connect.refresh;

import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.config.ConnectSettings;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.timer.ScheduledTask;

/**
 * Deletes connections that can never work again (needing a new consent, or expired without a refresh token) once
 * they have stayed so for the retention period. Authorization states need no cleanup: they live in Keycloak's
 * single-use object store, which expires them itself. Also drops finished webhook deliveries past their retention and
 * webhook endpoints' previous secrets once their overlap after a rotation has ended (delivery ignores them already).
 * Runs in one short transaction through Keycloak's {@code ScheduledTaskRunner}; the delete is idempotent, so two
 * nodes running it at once are harmless.
 */
public final class CleanupTask implements ScheduledTask {

    private static final Logger LOG = Logger.getLogger(CleanupTask.class);

    private final ConnectSettings s;

    public CleanupTask(ConnectSettings settings) {
        this.s = settings;
    }

    @Override
    public void run(KeycloakSession session) {
        int days = s.webhookOut().retentionDays();
        if (days > 0) {
            Stores.webhookOut(session).deleteFinishedBefore(System.currentTimeMillis() - days * 86_400_000L);
        }
        Stores.webhookOut(session).dropExpiredPrevious(System.currentTimeMillis());
        if (s.retentionDays() == 0) {
            return;
        }
        long cutoff = System.currentTimeMillis() - s.retentionDays() * 86_400_000L;
        int n = Stores.connections(session).deleteTerminalBefore(cutoff);
        if (n > 0) {
            LOG.infof("cleanup: removed %d connections unusable for more than %d days", n, s.retentionDays());
        }
    }

    @Override
    public String getTaskName() {
        return "kc-connect-cleanup";
    }
}
