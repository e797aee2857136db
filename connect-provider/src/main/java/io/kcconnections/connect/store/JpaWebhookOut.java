package io.kcconnections.connect.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.LockMode;
import org.hibernate.query.SelectionQuery;
import org.jboss.logging.Logger;

/** {@link WebhookOut} on the session's entity manager: conditional UPDATEs and {@code SKIP LOCKED} claims. */
final class JpaWebhookOut implements WebhookOut {

    private static final Logger LOG = Logger.getLogger(JpaWebhookOut.class);

    /** An endpoint with a secret, or a previous secret, under another key than {@code :kid}. */
    private static final String ON_OTHER_KEYS = "(e.keyId is null or e.keyId <> :kid or (e.previousSecret is not null "
            + "and (e.previousKeyId is null or e.previousKeyId <> :kid)))";

    private final EntityManager em;

    JpaWebhookOut(EntityManager em) {
        this.em = em;
    }

    private static Endpoint model(WebhookEndpointEntity e) {
        List<String> types = e.eventTypes == null || e.eventTypes.isBlank() ? List.of()
                : Arrays.stream(e.eventTypes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Endpoint(e.id, e.realmId, e.clientId, e.url, types, e.secret, e.keyId, e.createdAt, e.disabledAt,
                e.disabledReason, e.previousSecret, e.previousKeyId, e.previousExpiresAt, e.secretRotatedAt);
    }

    private static Message model(WebhookOutboxEntity e) {
        return new Message(e.id, e.realmId, e.endpointId, e.eventType, e.payload, e.createdAt, e.status, e.attempts,
                e.nextAttemptAt, e.lastAttemptAt, e.lastStatus, e.lastError);
    }

    @Override
    public void create(Endpoint m) {
        WebhookEndpointEntity e = new WebhookEndpointEntity();
        e.id = m.id();
        e.realmId = m.realmId();
        e.clientId = m.clientId();
        e.url = m.url();
        e.eventTypes = String.join(",", m.eventTypes());
        e.secret = m.secret();
        e.keyId = m.keyId();
        e.createdAt = m.createdAt();
        em.persist(e);
        em.flush();
    }

    @Override
    public Optional<Endpoint> endpoint(String realmId, String id) {
        WebhookEndpointEntity e = em.find(WebhookEndpointEntity.class, id);
        return e == null || !e.realmId.equals(realmId) ? Optional.empty() : Optional.of(model(e));
    }

    @Override
    public Optional<Endpoint> endpointForUpdate(String realmId, String id) {
        WebhookEndpointEntity e = em.find(WebhookEndpointEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !e.realmId.equals(realmId)) {
            return Optional.empty();
        }
        em.refresh(e);
        return Optional.of(model(e));
    }

    @Override
    public List<Endpoint> endpoints(String realmId, String clientId) {
        var q = em.createQuery("select e from ConnectWebhookEndpoint e where e.realmId = :realmId"
                + (clientId == null ? "" : " and e.clientId = :clientId") + " order by e.createdAt, e.id",
                WebhookEndpointEntity.class).setParameter("realmId", realmId);
        if (clientId != null) {
            q.setParameter("clientId", clientId);
        }
        return q.getResultStream().map(JpaWebhookOut::model).toList();
    }

    @Override
    public List<Endpoint> endpointsOf(String realmId, Collection<String> clientIds) {
        if (clientIds.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select e from ConnectWebhookEndpoint e where e.realmId = :realmId and e.clientId in :ids",
                        WebhookEndpointEntity.class).setParameter("realmId", realmId).setParameter("ids", clientIds)
                .getResultStream().map(JpaWebhookOut::model).toList();
    }

    @Override
    public boolean disable(String realmId, String id, long at, String reason) {
        return em.createQuery("update ConnectWebhookEndpoint e set e.disabledAt = :at, e.disabledReason = :reason "
                        + "where e.id = :id and e.realmId = :realmId and e.disabledAt is null").setParameter("at", at)
                .setParameter("reason", Rows.truncate(reason)).setParameter("id", id).setParameter("realmId", realmId)
                .executeUpdate() == 1;
    }

    @Override
    public Optional<Endpoint> enable(String realmId, String id) {
        WebhookEndpointEntity e = em.find(WebhookEndpointEntity.class, id);
        if (e == null || !e.realmId.equals(realmId)) {
            return Optional.empty();
        }
        e.disabledAt = null;
        e.disabledReason = null;
        em.flush();
        return Optional.of(model(e));
    }

    @Override
    public boolean rotate(Endpoint old, String secret, String keyId, String previousSecret, String previousKeyId,
                          Long previousExpiresAt, long rotatedAt) {
        return em.createQuery("update ConnectWebhookEndpoint e set e.secret = :secret, e.keyId = :kid, "
                        + "e.previousSecret = :prev, e.previousKeyId = :prevKid, e.previousExpiresAt = :prevUntil, "
                        + "e.secretRotatedAt = :at where e.id = :id and e.realmId = :realmId and e.secret = :old")
                .setParameter("secret", secret).setParameter("kid", keyId).setParameter("prev", previousSecret)
                .setParameter("prevKid", previousKeyId).setParameter("prevUntil", previousExpiresAt)
                .setParameter("at", rotatedAt).setParameter("id", old.id()).setParameter("realmId", old.realmId())
                .setParameter("old", old.secret()).executeUpdate() == 1;
    }

    @Override
    public int dropExpiredPrevious(long now) {
        return em.createQuery("update ConnectWebhookEndpoint e set e.previousSecret = null, e.previousKeyId = null, "
                + "e.previousExpiresAt = null where e.previousExpiresAt is not null and e.previousExpiresAt <= :now")
                .setParameter("now", now).executeUpdate();
    }

    @Override
    public boolean delete(String realmId, String id) {
        WebhookEndpointEntity e = em.find(WebhookEndpointEntity.class, id);
        if (e == null || !e.realmId.equals(realmId)) {
            return false;
        }
        em.createQuery("delete from ConnectWebhookOutbox o where o.endpointId = :id").setParameter("id", id).executeUpdate();
        em.remove(e);
        em.flush();
        return true;
    }

    @Override
    public void deleteByClient(String realmId, String clientId) {
        endpoints(realmId, clientId).forEach(e -> delete(realmId, e.id()));
    }

    @Override
    public void deleteByRealm(String realmId) {
        em.createQuery("delete from ConnectWebhookOutbox o where o.realmId = :realmId").setParameter("realmId", realmId)
                .executeUpdate();
        em.createQuery("delete from ConnectWebhookEndpoint e where e.realmId = :realmId").setParameter("realmId", realmId)
                .executeUpdate();
    }

    @Override
    public void enqueue(Message m) {
        WebhookOutboxEntity e = new WebhookOutboxEntity();
        e.id = m.id();
        e.realmId = m.realmId();
        e.endpointId = m.endpointId();
        e.eventType = m.eventType();
        e.payload = m.payload();
        e.createdAt = m.createdAt();
        e.status = PENDING;
        e.attempts = 0;
        e.nextAttemptAt = m.nextAttemptAt() == null ? m.createdAt() : m.nextAttemptAt();
        em.persist(e);
    }

    @Override
    public List<Message> messages(String endpointId, int first, int max) {
        return em.createQuery("select o from ConnectWebhookOutbox o where o.endpointId = :id order by o.createdAt desc, o.id",
                        WebhookOutboxEntity.class).setParameter("id", endpointId).setFirstResult(first).setMaxResults(max)
                .getResultStream().map(JpaWebhookOut::model).toList();
    }

    @Override
    public List<Message> claimDue(String owner, long now, long leaseUntil, int limit) {
        var q = em.createQuery("select o from ConnectWebhookOutbox o where o.status = :pending and o.nextAttemptAt <= :now "
                        + "order by o.nextAttemptAt", WebhookOutboxEntity.class).setParameter("pending", PENDING)
                .setParameter("now", now).setMaxResults(limit).setLockMode(LockModeType.PESSIMISTIC_WRITE);
        try {
            q.unwrap(SelectionQuery.class).setHibernateLockMode(LockMode.UPGRADE_SKIPLOCKED);
        } catch (RuntimeException e) {
            LOG.debugf("SKIP LOCKED unavailable for the outbox query: %s", e.getMessage());
        }
        List<Message> claimed = new ArrayList<>();
        for (WebhookOutboxEntity e : q.getResultList()) {
            if (e.leaseUntil != null && e.leaseUntil >= now) {
                continue;
            }
            e.leaseOwner = owner;
            e.leaseUntil = leaseUntil;
            e.nextAttemptAt = leaseUntil;
            claimed.add(model(e));
        }
        em.flush();
        return claimed;
    }

    @Override
    public boolean complete(Attempt a) {
        return em.createQuery("update ConnectWebhookOutbox o set o.status = :status, o.attempts = o.attempts + 1, "
                        + "o.nextAttemptAt = :next, o.lastAttemptAt = :at, o.lastStatus = :http, o.lastError = :error, "
                        + "o.leaseOwner = null, o.leaseUntil = null where o.id = :id and o.leaseOwner = :owner")
                .setParameter("status", a.status()).setParameter("next", a.nextAttemptAt()).setParameter("at", a.at())
                .setParameter("http", a.httpStatus()).setParameter("error", Rows.truncate(a.error()))
                .setParameter("id", a.id()).setParameter("owner", a.owner()).executeUpdate() == 1;
    }

    @Override
    public int deleteFinishedBefore(long cutoff) {
        return em.createQuery("delete from ConnectWebhookOutbox o where o.status <> :pending and o.createdAt < :cutoff")
                .setParameter("pending", PENDING).setParameter("cutoff", cutoff).executeUpdate();
    }

    @Override
    public List<Endpoint> onOtherKeys(String realmId, String keyId, int limit) {
        var q = em.createQuery("select e from ConnectWebhookEndpoint e where " + ON_OTHER_KEYS
                + (realmId == null ? "" : " and e.realmId = :realmId") + " order by e.id", WebhookEndpointEntity.class)
                .setParameter("kid", keyId).setMaxResults(limit);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        return q.getResultStream().map(JpaWebhookOut::model).toList();
    }

    @Override
    public long countOnOtherKeys(String realmId, String keyId) {
        var q = em.createQuery("select count(e) from ConnectWebhookEndpoint e where " + ON_OTHER_KEYS
                + (realmId == null ? "" : " and e.realmId = :realmId"), Long.class).setParameter("kid", keyId);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        return q.getSingleResult();
    }

    @Override
    public boolean rewrap(Endpoint old, String keyId, String secret, String previousSecret) {
        return em.createQuery("update ConnectWebhookEndpoint e set e.secret = :secret, e.keyId = :kid, "
                        + "e.previousSecret = :prev, e.previousKeyId = :prevKid, e.previousExpiresAt = :prevUntil "
                        + "where e.id = :id and e.secret = :old").setParameter("secret", secret).setParameter("kid", keyId)
                .setParameter("prev", previousSecret).setParameter("prevKid", previousSecret == null ? null : keyId)
                .setParameter("prevUntil", previousSecret == null ? null : old.previousExpiresAt())
                .setParameter("id", old.id()).setParameter("old", old.secret()).executeUpdate() == 1;
    }
}
