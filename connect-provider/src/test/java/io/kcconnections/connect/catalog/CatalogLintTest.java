package io.kcconnections.connect.catalog;

import io.kcconnections.connect.net.HostPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks every catalog entry as data: it parses, is sound, resolves to https URLs without leftover placeholders. */
class CatalogLintTest {

    private static final Path DIR = Path.of("src/main/resources/connect-catalog");

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyEntryParsesIsSoundAndSaysWhatWasChecked() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Path f : files()) {
            String name = f.getFileName().toString().replace(".yaml", "");
            String text = Files.readString(f);
            if (!text.startsWith("#") || !text.toLowerCase().contains("checked")) {
                failures.add(name + ": the file must start with a comment saying what was checked against which documentation");
            }
            try (InputStream in = Files.newInputStream(f)) {
                ProviderTemplate t = ProviderTemplate.parse(in);
                if (!t.name().equals(name)) {
                    failures.add(name + ": name is '" + t.name() + "'");
                }
                if (t.sources() == null) {
                    failures.add(name + ": sources must name the provider documentation the entry was checked against");
                }
                if (text.contains("\ndocs:")) {
                    failures.add(name + ": docs is replaced by sources in the bundled catalog");
                }
                t.problems().forEach(p -> failures.add(name + ": " + p));
            } catch (IOException | IllegalArgumentException e) {
                failures.add(name + ": does not parse: " + e.getMessage().split("\n")[0]);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void aPerConnectionValueNeverNamesAHostTheProviderDoesNotOwn() throws IOException {
        // Mastodon as it was: the user's instance per connection, so the operator's secret went to any host named.
        String open = Files.readString(DIR.resolve("mastodon.yaml")).replace("    required: true\n",
                "    required: true\n    perConnection: true\n");
        ProviderTemplate t = ProviderTemplate.parse(new java.io.ByteArrayInputStream(open.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(t.problems().stream().anyMatch(p -> p.contains("may name any host")), t.problems()::toString);
        assertTrue(new TemplateParam("h", null, true, null, TemplateParam.Kind.HOST, null, null, true).namesAnyHost());
        assertTrue(new TemplateParam("u", null, true, null, TemplateParam.Kind.URL, "https://.*", null, true).namesAnyHost());
        assertTrue(!new TemplateParam("s", null, true, null, TemplateParam.Kind.HOST, "[a-z0-9-]+\\.myshopify\\.com", null, true)
                .namesAnyHost());
        assertTrue(!new TemplateParam("t", null, true, null, TemplateParam.Kind.SEGMENT, null, null, true).namesAnyHost());
    }

    @Test
    void anEntryWithoutSourcesIsRefused() throws IOException {
        String github = Files.readString(DIR.resolve("github.yaml"));
        ProviderTemplate sourced = ProviderTemplate.parse(github);
        assertTrue(sourced.problems().isEmpty(), sourced.problems()::toString);

        String unsourced = github.replaceAll("(?s)\nsources:\n(  .*?\n)+(?=[a-z])", "\n");
        ProviderTemplate none = ProviderTemplate.parse(unsourced);
        assertTrue(none.sources() == null);
        assertTrue(none.problems().stream().anyMatch(p -> p.startsWith("sources is required")), none.problems()::toString);
        assertTrue(!Catalog.load(loaderWith("github", unsourced)).templates().containsKey("github"),
                "the catalog loads an entry without sources");

        String base = unsourced.replace("name: github\n", "name: github\nsources:\n  checked: \"2026-12-07\"\n"
                + "  endpoints: [https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps]\n"
                + "  tokens: [https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps]\n");
        // GitHub declares permanentErrors and a DELETE revocation: quirks need their own pages.
        assertEquals(List.of("sources.quirks is required: the entry declares permanentErrors, revoke placement/method"),
                ProviderTemplate.parse(base).problems());
        assertTrue(problemsOf(base.replace("  checked: \"2026-12-07\"\n", ""))
                .contains("sources.checked is required (YYYY-MM-DD): when the documentation was last read"));
        assertTrue(problemsOf(base.replace("2026-12-07", "last week")).stream().anyMatch(p -> p.startsWith("sources.checked must be a date")));
        assertTrue(problemsOf(base.replace("2026-12-07", "2999-01-01")).stream().anyMatch(p -> p.startsWith("sources.checked is in the future")));
        assertTrue(problemsOf(base.replaceFirst("  endpoints: .*\n", "")).stream().anyMatch(p -> p.startsWith("sources.endpoints is required")));
        assertTrue(problemsOf(base.replaceFirst("  tokens: .*\n", "")).stream().anyMatch(p -> p.startsWith("sources.tokens is required")));
        assertTrue(problemsOf(base.replaceFirst("  tokens: \\[https", "  tokens: [http")).stream()
                .anyMatch(p -> p.startsWith("sources.tokens must list absolute https URLs")));

        // A template contributed through connect-catalog-source is held to the same rule.
        ProviderRegistry r = ProviderRegistry.build(Catalog.load(getClass().getClassLoader()),
                List.of(ProviderTemplate.parse(unsourced.replace("name: github", "name: github-custom"))), Map.of(),
                new HostPolicy(false));
        assertTrue(!r.templates().containsKey("github-custom"));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("contributed provider github-custom: ")
                && p.contains("sources is required")), r.problems()::toString);
    }

    private static List<String> problemsOf(String yaml) throws IOException {
        return ProviderTemplate.parse(yaml).problems();
    }

    /** A class loader whose catalog holds one entry with the given text. */
    private static ClassLoader loaderWith(String name, String yaml) {
        return new ClassLoader(null) {
            @Override
            public InputStream getResourceAsStream(String path) {
                String body = path.equals(Catalog.INDEX) ? name + "\n"
                        : path.equals("connect-catalog/" + name + ".yaml") ? yaml : null;
                return body == null ? null : new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }

    @Test
    void indexListsExactlyTheFiles() throws IOException {
        TreeSet<String> files = new TreeSet<>();
        for (Path f : files()) {
            files.add(f.getFileName().toString().replace(".yaml", ""));
        }
        List<String> problems = new ArrayList<>();
        List<String> index = Catalog.index(getClass().getClassLoader(), problems);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(new TreeSet<>(index).size(), index.size(), "the index lists a name twice");
        assertEquals(files, new TreeSet<>(index), "connect-catalog/index.txt must list every <name>.yaml and nothing else");
    }

    @Test
    void everyEntryResolvesWithExampleValuesToHttpsUrlsWithoutPlaceholders() throws IOException {
        List<String> failures = new ArrayList<>();
        HostPolicy strict = new HostPolicy(false);
        for (Path f : files()) {
            ProviderTemplate t;
            try (InputStream in = Files.newInputStream(f)) {
                t = ProviderTemplate.parse(in);
            } catch (RuntimeException e) {
                continue; // reported by the first test
            }
            Map<String, String> values = new HashMap<>();
            for (TemplateParam p : t.params()) {
                if (p.example() != null) {
                    values.put(p.name(), p.example());
                } else if (p.required() && p.defaultValue() == null) {
                    failures.add(t.name() + ": required param " + p.name() + " needs an example");
                }
            }
            ResolvedProvider.Result r = ResolvedProvider.resolve(t,
                    new ProviderConfig(t.name(), "test", "client-id", "client-secret", null, null, null, null, null,
                            null, values, null, null), strict);
            if (!r.ok()) {
                failures.add(t.name() + ": " + r.problems());
                continue;
            }
            ResolvedProvider p = r.provider();
            for (String url : new String[]{p.authorizeUrl(), p.tokenUrl(), p.refreshUrl(), p.revokeUrl(), p.userinfoUrl(),
                    p.deviceAuthorizationUrl(), p.loginIssuer()}) {
                if (url == null) {
                    continue;
                }
                if (url.contains("{") || url.contains("}")) {
                    failures.add(t.name() + ": placeholder left in " + url);
                }
                URI u = URI.create(url);
                if (!"https".equals(u.getScheme())) {
                    failures.add(t.name() + ": not https: " + url);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void theCatalogLoadsWithoutProblems() {
        Catalog c = Catalog.load(getClass().getClassLoader());
        assertTrue(c.problems().isEmpty(), String.join("\n", c.problems()));
        assertTrue(c.templates().containsKey("keycloak"));
    }
}
