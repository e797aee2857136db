package io.kcconnections.connect.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/**
 * The stored form of a realm's provider configuration: a realm component of type {@link #COMPONENT_TYPE} whose name is
 * the provider's catalog name and whose config holds
 * <ul>
 * <li>one key per {@link ProviderSetting} ({@link ProviderSetting#key()}):
 * {@code enabled} ({@code true}/{@code false}, default true; false hides the environment's configuration of the
 * provider in this realm), {@code clientId}, {@code clientSecret} (or a {@code ${vault.name}} reference),
 * {@code scopes} (one value per scope), {@code authorizeUrl}, {@code tokenUrl}, {@code userinfoUrl},
 * {@code revokeUrl} (overrides), {@code pkce}, {@code loginEnabled} and {@code loginConnect} ({@code true}/{@code false};
 * absent keeps the template's behaviour),</li>
 * <li>and one key per template parameter, named like the parameter ({@code base_url}, {@code tenant}, …).</li>
 * </ul>
 * Reading never throws: what is malformed comes back as problems.
 */
public final class RealmProviderConfigs {

    /**
     * The components' {@code providerType}: the name of the Keycloak provider interface of the component type
     * ({@code io.kcconnections.connect.realm.ProviderConfigComponent}). Keycloak looks the type up by that class name
     * and realm exports group components by it, so it is part of the stored format and never changes.
     */
    public static final String COMPONENT_TYPE = "io.kcconnections.connect.realm.ProviderConfigComponent";

    /**
     * A stored configuration read back.
     *
     * @param config   the configuration (source {@code realm})
     * @param enabled  false when the realm hides the provider
     * @param problems what is malformed (several values for a single setting, a boolean that is not one)
     */
    public record Parsed(ProviderConfig config, boolean enabled, List<String> problems) {
    }

    private RealmProviderConfigs() {
    }

    /** The realm's provider components, in storage order. */
    public static Stream<ComponentModel> components(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), COMPONENT_TYPE);
    }

    public static Parsed parse(ComponentModel m) {
        List<String> problems = new ArrayList<>();
        MultivaluedHashMap<String, String> cfg = m.getConfig() == null ? new MultivaluedHashMap<>() : m.getConfig();
        ProviderConfig.Builder b = ProviderConfig.builder(m.getName(), "realm");
        for (Map.Entry<String, List<String>> e : cfg.entrySet()) {
            ProviderSetting s = ProviderSetting.byKey(e.getKey());
            List<String> vs = e.getValue() == null ? List.of() : e.getValue().stream()
                    .filter(v -> v != null && !v.isBlank()).toList();
            if (vs.size() > 1 && (s == null || s.type() != ProviderSetting.Type.LIST)) {
                problems.add("'" + e.getKey() + "' has " + vs.size() + " values; it takes one");
            }
            if (s == null && !vs.isEmpty()) {
                b.value(e.getKey(), vs.get(0).trim());
            }
        }
        for (ProviderSetting s : ProviderSetting.values()) {
            try {
                b.set(s, s.type() == ProviderSetting.Type.LIST ? list(s, cfg.get(s.key())) : s.parse(first(cfg, s.key())));
            } catch (IllegalArgumentException e) {
                problems.add("'" + s.key() + "' " + e.getMessage());
            }
        }
        return new Parsed(b.build(), b.enabled(), List.copyOf(problems));
    }

    /** The component config for a configuration (the inverse of {@link #parse}); unset settings are left out. */
    public static MultivaluedHashMap<String, String> toComponentConfig(ProviderConfig c, boolean enabled) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        for (ProviderSetting s : ProviderSetting.values()) {
            List<String> vs = s.format(s.inConfig() ? s.get(c) : enabled);
            if (!vs.isEmpty()) {
                m.put(s.key(), new ArrayList<>(vs));
            }
        }
        c.values().forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                m.putSingle(k, v.trim());
            }
        });
        return m;
    }

    /** Whether a template parameter name collides with a setting (it could not be configured in a realm). */
    public static boolean reserved(String paramName) {
        for (ProviderSetting s : ProviderSetting.values()) {
            if (s.key().toLowerCase(Locale.ROOT).equals(paramName.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Every value of a multi-valued setting, each split at commas and blanks, without repeats; null when none. */
    @SuppressWarnings("unchecked")
    private static List<String> list(ProviderSetting s, List<String> raw) {
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : raw) {
            List<String> parts = (List<String>) s.parse(v);
            if (parts != null) {
                parts.stream().filter(x -> !out.contains(x)).forEach(out::add);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static String first(MultivaluedHashMap<String, String> cfg, String key) {
        List<String> vs = cfg.get(key);
        if (vs == null) {
            return null;
        }
        for (String v : vs) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
