package io.kcconnections.connect.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Every provider template the server knows (built-in catalog, contributed by other jars, custom from the
 * environment) and the providers configured from the environment, which apply to every realm.
 * Built once at start-up; immutable afterwards.
 */
public final class ProviderRegistry {

    private final Map<String, ProviderTemplate> templates;
    private final Map<String, ResolvedProvider> envProviders;
    private final Map<String, List<String>> providerProblems;
    private final List<String> problems;
    private final HostPolicy policy;

    private ProviderRegistry(Map<String, ProviderTemplate> templates, Map<String, ResolvedProvider> envProviders,
                             Map<String, List<String>> providerProblems, List<String> problems, HostPolicy policy) {
        this.templates = Collections.unmodifiableMap(templates);
        this.envProviders = Collections.unmodifiableMap(envProviders);
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
        return new ProviderRegistry(templates, resolved, providerProblems, problems, policy);
    }

    /** The provider as configured for a realm, or null when it is not configured there. */
    public ResolvedProvider find(KeycloakSession session, RealmModel realm, String name) {
        return envProviders.get(name);
    }

    /** Every provider usable in a realm, by name. */
    public Map<String, ResolvedProvider> all(KeycloakSession session, RealmModel realm) {
        return envProviders;
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
