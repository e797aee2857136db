package io.kcconnections.connect.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The bundled catalog of API-key, token and basic-auth providers: {@code connect-credentials/providers.yaml}. An entry
 * with problems is left out and reported, as the OAuth catalog does.
 */
public final class CredentialCatalog {

    public static final String RESOURCE = "connect-credentials/providers.yaml";

    /** The file's shape: a list of providers. */
    record File(List<CredentialProvider> providers) {
    }

    private final Map<String, CredentialProvider> providers;
    private final List<String> problems;

    CredentialCatalog(Map<String, CredentialProvider> providers, List<String> problems) {
        this.providers = Collections.unmodifiableMap(providers);
        this.problems = List.copyOf(problems);
    }

    public static CredentialCatalog load(ClassLoader cl) {
        try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new CredentialCatalog(Map.of(), List.of(RESOURCE + " is missing"));
            }
            return parse(in);
        } catch (IOException e) {
            return new CredentialCatalog(Map.of(), List.of(RESOURCE + " does not parse: " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    static CredentialCatalog parse(InputStream in) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        File f = yaml.readValue(in, File.class);
        Map<String, CredentialProvider> out = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (CredentialProvider p : f.providers() == null ? List.<CredentialProvider>of() : f.providers()) {
            List<String> pp = p.problems();
            if (!pp.isEmpty()) {
                problems.add(p.name() + ": " + String.join("; ", pp));
            } else if (out.putIfAbsent(p.name(), p) != null) {
                problems.add(p.name() + ": listed twice");
            }
        }
        return new CredentialCatalog(out, problems);
    }

    public Optional<CredentialProvider> find(String name) {
        return Optional.ofNullable(name == null ? null : providers.get(name));
    }

    public Map<String, CredentialProvider> all() {
        return providers;
    }

    public List<String> problems() {
        return problems;
    }
}
