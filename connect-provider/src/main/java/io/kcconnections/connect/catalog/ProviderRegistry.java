package io.kcconnections.connect.catalog;

import java.util.HashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import io.kcconnections.connect.net.HostPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.kcconnections.connect.spi.template.PkceMode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Every provider template the server knows (built-in catalog, contributed by other jars, custom from the environment)
 * and the providers each realm can use.
 * <p>
 * Where a provider's configuration comes from, highest precedence first:
 * <ol>
 * <li>the realm: a provider component ({@link RealmProviderConfigs}) named like the provider. It replaces the environment's configuration
 * of that provider in that realm <em>as a whole</em> (no field is inherited from the environment; one that names the
 * environment's client secret must keep the environment's endpoints, {@link EnvSecretBinding}); with
 * {@code enabled=false} it hides the provider in that realm; when it is invalid the provider is unusable in that realm
 * (it is reported, and the environment's configuration is not used instead);</li>
 * <li>the environment ({@code CONNECT_<NAME>_*}), for every realm that does not configure the provider itself.</li>
 * </ol>
 * Templates and environment configurations are built once at start-up and immutable afterwards. Realm configurations
 * are read from the realm's components on each call (Keycloak caches them with the realm); resolving one costs tens of
 * microseconds, so the result is kept per component id and reused while the component's name and config are
 * unchanged (a changed component simply misses). No YAML is parsed after start-up.
 */
public final class ProviderRegistry {

    private static final Logger LOG = Logger.getLogger(ProviderRegistry.class);
    /** Prefix of the connection metadata keys holding per-connection parameter values ({@code param.shop}). */
    public static final String CONNECTION_VALUE_PREFIX = "param.";

    /** Where the configuration that decides about a provider in a realm comes from. */
    public enum Source {
        REALM, ENV;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One provider as a realm sees it.
     *
     * @param name        catalog name
     * @param source      realm component or environment
     * @param template    the template; null when the name is unknown
     * @param config      the configuration (secrets unresolved); never null
     * @param enabled     false when the realm hides the provider
     * @param provider    the resolved provider; null when not usable (disabled or problems)
     * @param problems    why it cannot be used (empty when usable or merely disabled)
     * @param componentId the realm component, for realm entries
     * @param overridesEnvironment a realm entry that replaces (or hides) an environment configuration of the provider
     */
    public record Entry(String name, Source source, ProviderTemplate template, ProviderConfig config, boolean enabled,
                        ResolvedProvider provider, List<String> problems, String componentId,
                        boolean overridesEnvironment) {

        public boolean usable() {
            return enabled && provider != null;
        }
    }

    private final Map<String, ProviderTemplate> templates;
    private final Set<String> customTemplates;
    private final Map<String, ResolvedProvider> envProviders;
    private final Map<String, ProviderConfig> envConfigs;
    private final Map<String, List<String>> providerProblems;
    private final List<String> problems;
    private final HostPolicy policy;
    /** Resolved realm components by id; valid while name and config are equal to what was resolved. */
    private final ConcurrentHashMap<String, Resolved> resolvedComponents = new ConcurrentHashMap<>();
    private static final int MAX_RESOLVED_COMPONENTS = 10_000;

    private record Resolved(String name, Map<String, List<String>> config, Entry entry) {
    }

    private ProviderRegistry(Map<String, ProviderTemplate> templates, Set<String> customTemplates,
                             Map<String, ResolvedProvider> envProviders, Map<String, ProviderConfig> envConfigs,
                             Map<String, List<String>> providerProblems, List<String> problems, HostPolicy policy) {
        this.templates = Collections.unmodifiableMap(templates);
        this.customTemplates = Set.copyOf(customTemplates);
        this.envProviders = Collections.unmodifiableMap(envProviders);
        this.envConfigs = Collections.unmodifiableMap(envConfigs);
        this.providerProblems = Collections.unmodifiableMap(providerProblems);
        this.problems = List.copyOf(problems);
        this.policy = policy;
    }

    /**
     * @param contributed templates from {@code connect-catalog-source} providers; they replace built-in ones of the
     *                    same name
     */
    public static ProviderRegistry build(Catalog catalog, List<ProviderTemplate> contributed, Map<String, String> env,
                                         HostPolicy policy) {
        List<String> problems = new ArrayList<>(catalog.problems());
        Map<String, ProviderTemplate> templates = new TreeMap<>(catalog.templates());
        Map<String, Integer> seen = new TreeMap<>();
        for (ProviderTemplate t : contributed) {
            seen.merge(t.name(), 1, Integer::sum);
        }
        for (ProviderTemplate t : contributed) {
            if (seen.get(t.name()) > 1) {
                problems.add("provider " + t.name() + " is contributed by more than one catalog source; none is used");
                templates.remove(t.name());
                continue;
            }
            List<String> p = t.problems();
            if (!p.isEmpty()) {
                problems.add("contributed provider " + t.name() + ": " + String.join("; ", p));
                continue;
            }
            if (templates.containsKey(t.name())) {
                problems.add("contributed provider " + t.name() + " replaces the built-in template");
            }
            templates.put(t.name(), t);
        }
        EnvProviderConfigs.Result env0 = EnvProviderConfigs.read(env, templates);
        problems.addAll(env0.problems());
        templates.putAll(env0.customTemplates());

        Map<String, ResolvedProvider> resolved = new TreeMap<>();
        Map<String, List<String>> providerProblems = new TreeMap<>();
        for (ProviderConfig c : env0.configs().values()) {
            ProviderTemplate t = templates.get(c.name());
            List<String> structural = env0.customTemplates().containsKey(c.name()) ? t.structuralProblems() : List.of();
            if (!structural.isEmpty()) {
                providerProblems.put(c.name(), structural);
                continue;
            }
            ResolvedProvider.Result r = ResolvedProvider.resolve(t, c, policy);
            if (r.ok()) {
                resolved.put(c.name(), r.provider());
            } else {
                providerProblems.put(c.name(), r.problems());
            }
        }
        return new ProviderRegistry(templates, env0.customTemplates().keySet(), resolved, env0.configs(),
                providerProblems, problems, policy);
    }

    /**
     * The provider as configured for a realm, or null when it is not usable there. Its per-connection values may still
     * be open: apply a connection's with {@link ResolvedProvider#withConnectionValues} (or use {@link #forConnection}).
     *
     * @param realm null for the environment's configuration alone
     */
    public ResolvedProvider find(KeycloakSession session, RealmModel realm, String name) {
        if (realm == null || name == null) {
            return envProviders.get(name);
        }
        List<ComponentModel> named = components(realm).filter(c -> name.equals(c.getName())).toList();
        if (named.isEmpty()) {
            return envProviders.get(name);
        }
        if (named.size() > 1) {
            return null;
        }
        Entry e = realmEntry(named.get(0), List.of());
        return e.usable() ? e.provider() : null;
    }

    /** The per-connection parameter values recorded in a connection's metadata. */
    public static Map<String, String> connectionValues(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (k.startsWith(CONNECTION_VALUE_PREFIX) && v != null) {
                    out.put(k.substring(CONNECTION_VALUE_PREFIX.length()), v);
                }
            });
        }
        return out;
    }

    /**
     * Every provider usable in a realm, by name: the realm's own configurations first, then the environment's for
     * providers the realm neither configures nor disables.
     *
     * @param realm null for the environment's configuration alone
     */
    public Map<String, ResolvedProvider> all(KeycloakSession session, RealmModel realm) {
        if (realm == null) {
            return envProviders;
        }
        Map<String, ResolvedProvider> out = new TreeMap<>(envProviders);
        for (Entry e : realmEntries(realm)) {
            out.remove(e.name());
            if (e.usable()) {
                out.put(e.name(), e.provider());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Every provider configured for a realm, usable or not, with where its configuration comes from and its problems:
     * the realm's configurations, then the environment's that the realm does not replace. Sorted by name.
     */
    public List<Entry> entries(KeycloakSession session, RealmModel realm) {
        Map<String, Entry> out = new TreeMap<>();
        for (String name : envConfigs.keySet()) {
            out.put(name, envEntry(name));
        }
        for (Entry e : realmEntries(realm)) {
            out.put(e.name(), e);
        }
        return List.copyOf(out.values());
    }

    /** The entry that decides about one provider in a realm, or null when neither the realm nor the environment configures it. */
    public Entry entry(KeycloakSession session, RealmModel realm, String name) {
        for (Entry e : entries(session, realm)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Checks a realm component as it would be stored: the realm's other configurations of the same provider count
     * against it, except those about to be replaced. Used to refuse bad configuration before it is stored.
     *
     * @param replacedIds ids of components the caller removes in the same change
     */
    public Entry check(RealmModel realm, ComponentModel candidate, Set<String> replacedIds) {
        List<ComponentModel> others = components(realm)
                .filter(c -> !c.getId().equals(candidate.getId()) && !replacedIds.contains(c.getId())
                        && Objects.equals(c.getName(), candidate.getName()))
                .toList();
        return realmEntry(candidate, others);
    }

    /** The realm's provider components, in storage order. */
    public static Stream<ComponentModel> components(RealmModel realm) {
        return RealmProviderConfigs.components(realm);
    }

    private List<Entry> realmEntries(RealmModel realm) {
        List<ComponentModel> all = components(realm).toList();
        List<Entry> out = new ArrayList<>();
        for (ComponentModel c : all) {
            List<ComponentModel> same = all.stream()
                    .filter(o -> o != c && Objects.equals(o.getName(), c.getName())).toList();
            out.add(realmEntry(c, same));
        }
        return out;
    }

    private Entry realmEntry(ComponentModel c, List<ComponentModel> sameName) {
        if (!sameName.isEmpty() || c.getId() == null) {
            return resolveComponent(c, sameName);
        }
        Resolved r = resolvedComponents.get(c.getId());
        Map<String, List<String>> config = c.getConfig() == null ? Map.of() : c.getConfig();
        if (r != null && Objects.equals(r.name(), c.getName()) && r.config().equals(config)) {
            return r.entry();
        }
        Entry e = resolveComponent(c, sameName);
        if (resolvedComponents.size() >= MAX_RESOLVED_COMPONENTS) {
            resolvedComponents.clear();
        }
        Map<String, List<String>> copy = new HashMap<>();
        config.forEach((k, v) -> copy.put(k, v == null ? null : new ArrayList<>(v)));
        resolvedComponents.put(c.getId(), new Resolved(c.getName(), copy, e));
        return e;
    }

    private Entry resolveComponent(ComponentModel c, List<ComponentModel> sameName) {
        String name = c.getName();
        List<String> problems = new ArrayList<>();
        RealmProviderConfigs.Parsed parsed = RealmProviderConfigs.parse(c);
        problems.addAll(parsed.problems());
        ProviderTemplate t = name == null ? null : templates.get(name);
        if (name == null || !ProviderTemplate.NAME.matcher(name).matches()) {
            problems.add("'" + (name == null ? "" : name) + "' is not a provider name (lower-case letters, digits and '-')");
        } else if (t == null) {
            problems.add("unknown provider '" + name + "': it is not in the catalog, not contributed by an extension and "
                    + "not described in CONNECT_PROVIDERS");
        }
        if (!sameName.isEmpty()) {
            problems.add("the realm configures " + name + " " + (sameName.size() + 1) + " times (components "
                    + c.getId() + ", " + String.join(", ", sameName.stream().map(ComponentModel::getId).toList())
                    + "); none is used until only one is left");
        }
        ResolvedProvider provider = null;
        if (t != null) {
            for (TemplateParam p : t.params()) {
                if (RealmProviderConfigs.reserved(p.name())) {
                    problems.add("the template's parameter '" + p.name() + "' has the name of a setting and cannot be configured in a realm");
                }
            }
            if (customTemplates.contains(name)) {
                problems.addAll(t.structuralProblems());
            }
            if (Boolean.FALSE.equals(parsed.config().pkce()) && t.pkce() == PkceMode.REQUIRED) {
                problems.add("pkce=false is refused: " + name + " requires PKCE");
            }
            if (parsed.enabled() && problems.isEmpty()) {
                ResolvedProvider.Result r = ResolvedProvider.resolve(t, parsed.config(), policy);
                String bound = r.ok() ? EnvSecretBinding.problem(envConfigs.get(name), envProviders.get(name), r.provider()) : null;
                if (bound != null) {
                    problems.add(bound);
                } else if (r.ok()) {
                    provider = r.provider();
                } else {
                    problems.addAll(r.problems());
                }
            }
        }
        return new Entry(name == null ? "" : name, Source.REALM, t, parsed.config(), parsed.enabled(), provider,
                List.copyOf(problems), c.getId(), name != null && envConfigs.containsKey(name));
    }

    private Entry envEntry(String name) {
        ResolvedProvider p = envProviders.get(name);
        return new Entry(name, Source.ENV, templates.get(name), envConfigs.get(name), true, p,
                p == null ? providerProblems.getOrDefault(name, List.of()) : List.of(), null, false);
    }

    public Map<String, ProviderTemplate> templates() {
        return templates;
    }

    /** Configured providers that cannot be used, with the reasons. */
    public Map<String, List<String>> providerProblems() {
        return providerProblems;
    }

    /** Catalog and environment problems not tied to one configured provider. */
    public List<String> problems() {
        return problems;
    }

    public HostPolicy hostPolicy() {
        return policy;
    }
}
