package io.kcconnections.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The repository's deployment files, read as text or as YAML (SnakeYAML: anchors and merge keys resolved). */
final class RepoFiles {

    private RepoFiles() {
    }

    static Path root() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String text(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** The one YAML document of a file, as a map. */
    static Map<String, Object> yamlMap(String relative) {
        Object doc = yaml().load(text(relative));
        return map(doc, relative);
    }

    /** Every YAML document of a file (k8s files hold several), as maps; empty documents are left out. */
    static List<Map<String, Object>> yamlDocuments(String relative) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : yaml().loadAll(text(relative))) {
            if (doc != null) {
                out.add(map(doc, relative));
            }
        }
        return out;
    }

    /** A child map, asserting it is one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertNotNull(value, what + " is missing");
        assertInstanceOf(Map.class, value, what + " is not a mapping");
        return (Map<String, Object>) value;
    }

    /** A child list, asserting it is one. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertNotNull(value, what + " is missing");
        assertInstanceOf(List.class, value, what + " is not a list");
        return (List<Object>) value;
    }

    /** A path of keys into nested maps: at(doc, "spec", "db", "vendor"). */
    static Object at(Map<String, Object> doc, String... keys) {
        Object cur = doc;
        StringBuilder where = new StringBuilder();
        for (String k : keys) {
            where.append('.').append(k);
            cur = map(cur, where.toString()).get(k);
        }
        return cur;
    }
}
