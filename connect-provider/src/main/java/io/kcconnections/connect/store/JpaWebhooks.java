package io.kcconnections.connect.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.EntityManager;

/** {@link Webhooks} on the session's entity manager. */
final class JpaWebhooks implements Webhooks {

    private final EntityManager em;

    JpaWebhooks(EntityManager em) {
        this.em = em;
    }

    private Optional<WebhookRouteEntity> entity(String realmId, String provider, String route) {
        return em.createNamedQuery("ConnectWebhookRoute.find", WebhookRouteEntity.class).setParameter("realmId", realmId)
                .setParameter("provider", provider).setParameter("route", route).getResultStream().findFirst();
    }

    @Override
    public Optional<Route> find(String realmId, String provider, String route) {
        return entity(realmId, provider, route).map(e -> new Route(e.id, e.realmId, e.provider, e.route, e.scheme,
                e.headerName, e.encoding, e.prefix, e.deliveryIdHeader, e.secret, e.keyId, e.toleranceSeconds,
                e.maxBytes, e.updatedAt, e.rateLimitPerMinute, e.accountIdPointer));
    }

    @Override
    public void put(Route r) {
        WebhookRouteEntity existing = entity(r.realmId(), r.provider(), r.route()).orElse(null);
        if (existing != null) {
            if (!existing.id.equals(r.id())) {
                throw new IllegalArgumentException("the route's secret is bound to its row " + existing.id);
            }
            em.createNamedQuery("ConnectWebhookRoute.update").setParameter("scheme", r.scheme())
                    .setParameter("header", r.header()).setParameter("encoding", r.encoding())
                    .setParameter("prefix", r.prefix()).setParameter("deliveryIdHeader", r.deliveryIdHeader())
                    .setParameter("secret", r.secret()).setParameter("keyId", r.keyId())
                    .setParameter("tolerance", r.toleranceSeconds()).setParameter("maxBytes", r.maxBytes())
                    .setParameter("updatedAt", r.updatedAt()).setParameter("rateLimit", r.rateLimitPerMinute())
                    .setParameter("accountIdPointer", r.accountIdPointer()).setParameter("id", r.id()).executeUpdate();
            em.detach(existing);
            return;
        }
        WebhookRouteEntity e = new WebhookRouteEntity();
        e.id = r.id();
        e.realmId = r.realmId();
        e.provider = r.provider();
        e.route = r.route();
        e.scheme = r.scheme();
        e.headerName = r.header();
        e.encoding = r.encoding();
        e.prefix = r.prefix();
        e.deliveryIdHeader = r.deliveryIdHeader();
        e.secret = r.secret();
        e.keyId = r.keyId();
        e.toleranceSeconds = r.toleranceSeconds();
        e.maxBytes = r.maxBytes();
        e.updatedAt = r.updatedAt();
        e.rateLimitPerMinute = r.rateLimitPerMinute();
        e.accountIdPointer = r.accountIdPointer();
        em.persist(e);
        em.flush();
    }

    @Override
    public boolean delete(String realmId, String provider, String route) {
        em.createNamedQuery("ConnectWebhookDelivery.deleteByRoute").setParameter("realmId", realmId)
                .setParameter("provider", provider).setParameter("route", route).executeUpdate();
        Optional<WebhookRouteEntity> e = entity(realmId, provider, route);
        e.ifPresent(em::remove);
        em.flush();
        return e.isPresent();
    }

    @Override
    public void record(String realmId, String provider, String route, Delivery d) {
        WebhookDeliveryEntity e = new WebhookDeliveryEntity();
        e.id = UUID.randomUUID().toString();
        e.realmId = realmId;
        e.provider = provider;
        e.route = route;
        e.receivedAt = d.receivedAt();
        e.verdict = d.verdict();
        e.size = d.size();
        e.deliveryId = d.deliveryId();
        e.connectionIds = d.connectionIds().isEmpty() ? null : String.join(" ", d.connectionIds());
        em.persist(e);
    }

    @Override
    public List<Delivery> activity(String realmId, String provider, String route, int first, int max) {
        return em.createNamedQuery("ConnectWebhookDelivery.byRoute", WebhookDeliveryEntity.class)
                .setParameter("realmId", realmId).setParameter("provider", provider).setParameter("route", route)
                .setFirstResult(first).setMaxResults(max).getResultStream()
                .map(e -> new Delivery(e.receivedAt, e.verdict, e.size, e.deliveryId, e.connectionIds == null
                        ? List.of() : List.of(e.connectionIds.split(" ")))).toList();
    }

    @Override
    public int deleteBefore(String realmId, String provider, String route, long cutoff) {
        return em.createNamedQuery("ConnectWebhookDelivery.deleteBefore").setParameter("realmId", realmId)
                .setParameter("provider", provider).setParameter("route", route).setParameter("cutoff", cutoff)
                .executeUpdate();
    }

    @Override
    public void deleteByRealm(String realmId) {
        em.createNamedQuery("ConnectWebhookDelivery.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
        em.createNamedQuery("ConnectWebhookRoute.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    @Override
    public List<Route> onOtherKeys(String realmId, String keyId, int limit) {
        var q = em.createQuery("select r from ConnectWebhookRoute r where (r.keyId is null or r.keyId <> :kid)"
                + (realmId == null ? "" : " and r.realmId = :realmId") + " order by r.id", WebhookRouteEntity.class)
                .setParameter("kid", keyId).setMaxResults(limit);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        return q.getResultStream().map(e -> find(e.realmId, e.provider, e.route).orElseThrow()).toList();
    }

    @Override
    public long countOnOtherKeys(String realmId, String keyId) {
        var q = em.createQuery("select count(r) from ConnectWebhookRoute r where (r.keyId is null or r.keyId <> :kid)"
                + (realmId == null ? "" : " and r.realmId = :realmId"), Long.class).setParameter("kid", keyId);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        return q.getSingleResult();
    }

    @Override
    public boolean rewrap(Route old, String keyId, String secret) {
        return em.createQuery("update ConnectWebhookRoute r set r.secret = :secret, r.keyId = :kid where r.id = :id "
                        + "and r.secret = :old").setParameter("secret", secret).setParameter("kid", keyId)
                .setParameter("id", old.id()).setParameter("old", old.secret()).executeUpdate() == 1;
    }
}
