package io.kcconnections.connect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.catalog.Catalog;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.connection.ConnectRuntime;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.credentials.CredentialCatalog;
import io.kcconnections.connect.credentials.HealthChecks;
import io.kcconnections.connect.credentials.HealthProber;
import io.kcconnections.connect.login.LoginSync;
import io.kcconnections.connect.mcp.ConnectionProviders;
import io.kcconnections.connect.mcp.McpCatalog;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.limits.RateLimits;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.outbox.OutboxPass;
import io.kcconnections.connect.refresh.CleanupTask;
import io.kcconnections.connect.refresh.KeyRewrap;
import io.kcconnections.connect.store.RowCache;
import io.kcconnections.connect.refresh.DevicePoller;
import io.kcconnections.connect.refresh.LeaseOwners;
import io.kcconnections.connect.refresh.RefreshPass;
import io.kcconnections.connect.refresh.Refresher;
import io.kcconnections.connect.spi.ProviderCatalogSourceFactory;
import io.kcconnections.connect.spi.ProviderCatalogSource;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.timer.TimerProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * Builds the runtime once: options, key ring, provider registry. Reports configuration problems once, at start-up.
 * Removes a user's or a realm's connections when Keycloak removes them.
 */
public class ConnectServiceFactory implements ProviderFactory<ConnectService>, ServerInfoAwareProviderFactory {

    private static final Logger LOG = Logger.getLogger(ConnectServiceFactory.class);
    public static final String ID = "default";

    private volatile ConnectSettings settings;
    /** Most connection rows a node caches for token reads (the cache starts over when full). */
    private static final int ROW_CACHE_ENTRIES = 100_000;

    private volatile KeyRingSource keyRingSource;
    private volatile boolean serverHostname;
    private volatile ProviderRegistry registry;
    private volatile ConnectRuntime runtime;
    private volatile DevicePoller devicePoller;
    private volatile OutboxPass outboxPass;
    private Map<String, String> env = System.getenv();

    /** For tests: the environment the factory reads instead of the process's. */
    void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public ConnectService create(KeycloakSession session) {
        return new ConnectService(session, runtime);
    }

    @Override
    public void init(Config.Scope config) {
        settings = ConnectSettings.from(config::get, env);
        settings.problems().forEach(p -> LOG.warnf("connect option: %s", p));
        keyRingSource = new KeyRingSource(settings.encryptionKey(), settings.oldEncryptionKeys());
        // Keycloak's hostname provider reads the same scope: whether the server's URLs come from configuration.
        String hostname = Config.scope("hostname", "v2").get("hostname");
        serverHostname = hostname != null && !hostname.isBlank();
        String keyProblem = keyRingSource.check();
        if (keyProblem != null) {
            LOG.errorf("Token encryption is unavailable: %s. The connect endpoints answer 503 until it is fixed.", keyProblem);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        List<ProviderTemplate> contributed = new ArrayList<>();
        factory.getProviderFactoriesStream(ProviderCatalogSource.class).forEach(f -> {
            try {
                contributed.addAll(((ProviderCatalogSourceFactory) f).templates());
            } catch (RuntimeException e) {
                LOG.errorf("catalog source %s failed: %s", f.getId(), e.getMessage());
            }
        });
        HostPolicy policy = new HostPolicy(settings.allowPrivateHosts());
        if (policy.allowPrivate()) {
            LOG.warn("allow-private-hosts is on: provider URLs may point at loopback and private addresses over http. Never in production.");
        }
        registry = ProviderRegistry.build(Catalog.load(getClass().getClassLoader()), contributed, env, policy);
        registry.problems().forEach(p -> LOG.warnf("connect configuration: %s", p));
        registry.providerProblems().forEach((name, problems) ->
                LOG.warnf("connect provider %s is configured but unusable: %s", name, String.join("; ", problems)));
        LOG.infof("connect: %d provider templates, configured from the environment: %s",
                registry.templates().size(), registry.all(null, null).keySet());
        McpConnect mcp = new McpConnect(settings, policy, keyRingSource, serverHostname);
        ConnectionProviders providers = new ConnectionProviders(registry, mcp);
        Refresher refresher = new Refresher(factory, settings, keyRingSource, policy, providers);
        RefreshPass refreshPass = new RefreshPass(factory, refresher, settings);
        runtime = new ConnectRuntime(settings, keyRingSource, registry, policy, mcp, providers, refresher, refreshPass,
                new KeyRewrap(factory, keyRingSource), McpCatalog.load(settings.mcpCatalogFile(), settings.allowPrivateHosts()),
                new RateLimits(100_000, System::currentTimeMillis), new HealthProber(factory, settings,
                        new HealthChecks(settings, keyRingSource, policy, providers, credentialCatalog())));
        devicePoller = new DevicePoller(factory, refresher, settings);
        outboxPass = new OutboxPass(factory, settings.webhookOut(), keyRingSource, policy, LeaseOwners::next);

        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                scheduleTasks(factory);
                LoginSync.syncAll(factory);
            } else if (event instanceof RealmModel.RealmPostCreateEvent e) {
                try {
                    LoginSync.sync(e.getKeycloakSession(), e.getCreatedRealm());
                } catch (RuntimeException ex) {
                    // Never fail a realm's creation for its login buttons: the next sync (start-up, a provider
                    // configuration change, POST .../connect/login-sync) tries again.
                    LOG.warnf("login sync of the new realm %s failed: %s", e.getCreatedRealm().getName(), ex.toString());
                }
            } else if (event instanceof UserModel.UserRemovedEvent e) {
                KeycloakSession s = e.getKeycloakSession();
                Stores.connections(s).listByUser(e.getRealm().getId(), e.getUser().getId()).forEach(c -> Outbox.record(s,
                        registry, c, Outbox.DELETED, Map.of("status", "deleted", "reason", "user_removed")));
                Stores.connections(s).deleteByUser(e.getRealm().getId(), e.getUser().getId());
                Stores.credentials(s).deleteByUser(e.getRealm().getId(), e.getUser().getId());
            } else if (event instanceof ClientModel.ClientRemovedEvent e) {
                Stores.connections(e.getKeycloakSession()).deleteByOwnerClient(e.getClient().getRealm().getId(), e.getClient().getId());
                Stores.credentials(e.getKeycloakSession()).deleteByOwnerClient(e.getClient().getRealm().getId(), e.getClient().getId());
                Stores.webhookOut(e.getKeycloakSession()).deleteByClient(e.getClient().getRealm().getId(), e.getClient().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                Stores.connections(e.getKeycloakSession()).deleteByRealm(e.getRealm().getId());
                Stores.registrations(e.getKeycloakSession()).deleteByRealm(e.getRealm().getId());
                Stores.webhooks(e.getKeycloakSession()).deleteByRealm(e.getRealm().getId());
                Stores.credentials(e.getKeycloakSession()).deleteByRealm(e.getRealm().getId());
                Stores.health(e.getKeycloakSession()).deleteByRealm(e.getRealm().getId());
                Stores.webhookOut(e.getKeycloakSession()).deleteByRealm(e.getRealm().getId());
            }
        });
    }

    /** The bundled credential catalog; its problems are logged, the entries with problems left out. */
    private CredentialCatalog credentialCatalog() {
        CredentialCatalog c = CredentialCatalog.load(getClass().getClassLoader());
        c.problems().forEach(p -> LOG.warnf("connect credential catalog: %s", p));
        return c;
    }

    /** Timers start once the database is migrated and realms are imported (Keycloak's own tasks do the same). */
    private void scheduleTasks(KeycloakSessionFactory factory) {
        RowCache.configure(settings.rowCacheSeconds() * 1000L, ROW_CACHE_ENTRIES);
        RowCacheCluster.wire(factory);
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (settings.refreshIntervalSeconds() > 0) {
                timer.schedule(runtime.refreshPass(), settings.refreshIntervalSeconds() * 1000L, "kc-connect-refresh");
                LOG.infof("connect: background refresh every %d s (window %d s, concurrency %d); this node's lease id is %s",
                        settings.refreshIntervalSeconds(), settings.refreshWindowSeconds(), settings.refreshConcurrency(),
                        LeaseOwners.node());
            } else {
                LOG.warn("connect: the background refresher is off (refresh-interval-seconds=0)");
            }
            if (settings.webhookOut().intervalSeconds() > 0) {
                timer.schedule(outboxPass, settings.webhookOut().intervalSeconds() * 1000L, "kc-connect-webhooks-out");
            }
            if (settings.devicePollSeconds() > 0) {
                timer.schedule(devicePoller, settings.devicePollSeconds() * 1000L, "kc-connect-device-poll");
            }
            if (settings.healthIntervalSeconds() > 0) {
                timer.schedule(runtime.prober(), settings.healthIntervalSeconds() * 1000L, "kc-connect-health");
            }
            if (settings.cleanupIntervalSeconds() > 0) {
                timer.scheduleTask(new CleanupTask(settings), settings.cleanupIntervalSeconds() * 1000L, "kc-connect-cleanup");
                timer.schedule(runtime.keyRewrap(), settings.cleanupIntervalSeconds() * 1000L, "kc-connect-key-rewrap");
            }
        });
        runtime.refreshPass().updateGauges();
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.refreshPass().close();
            runtime.refresher().close();
            runtime.keyRewrap().close();
            runtime.prober().close();
        }
        if (devicePoller != null) {
            devicePoller.close();
        }
        if (outboxPass != null) {
            outboxPass.close();
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ConnectSettings.metadata();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("providerTemplates", String.valueOf(registry == null ? 0 : registry.templates().size()));
        info.put("environmentProviders", registry == null ? "" : String.join(",", registry.all(null, null).keySet()));
        info.put("configurationProblems", String.valueOf(registry == null ? 0
                : registry.problems().size() + registry.providerProblems().size() + settings.problems().size()));
        String keyProblem = keyRingSource == null ? null : keyRingSource.check();
        info.put("tokenEncryption", keyProblem == null ? "ok" : "unavailable");
        info.put("hostnameConfigured", String.valueOf(serverHostname));
        info.putAll(settings.effective());
        return info;
    }
}
