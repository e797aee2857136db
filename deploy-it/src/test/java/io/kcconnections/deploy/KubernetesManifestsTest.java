package io.kcconnections.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static io.kcconnections.deploy.RepoFiles.at;
import static io.kcconnections.deploy.RepoFiles.list;
import static io.kcconnections.deploy.RepoFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker/k8s/: the Keycloak Operator's custom resource and the Secret templates it refers to. */
class KubernetesManifestsTest {

    private static Map<String, Object> keycloak() {
        List<Map<String, Object>> docs = RepoFiles.yamlDocuments("docker/k8s/keycloak.yaml");
        assertEquals(1, docs.size());
        return docs.get(0);
    }

    /** additionalOptions by name. */
    private static Map<String, Map<String, Object>> options() {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Object o : list(at(keycloak(), "spec", "additionalOptions"), "additionalOptions")) {
            Map<String, Object> m = map(o, "option");
            out.put(String.valueOf(m.get("name")), m);
        }
        return out;
    }

    /** Secret name to its keys, from secrets.yaml. */
    private static Map<String, Map<String, Object>> secrets() {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> d : RepoFiles.yamlDocuments("docker/k8s/secrets.yaml")) {
            assertEquals("v1", d.get("apiVersion"));
            assertEquals("Secret", d.get("kind"));
            assertFalse(map(d.get("metadata"), "metadata").containsKey("namespace"), "templates carry no namespace");
            out.put(String.valueOf(at(d, "metadata", "name")), map(d.get("stringData"), "stringData"));
        }
        return out;
    }

    @Test
    void everyFileParses() throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.path("docker/k8s"))) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertTrue(yaml.size() >= 2, "keycloak.yaml and secrets.yaml: " + yaml);
            for (Path p : yaml) {
                List<Map<String, Object>> docs = RepoFiles.yamlDocuments("docker/k8s/" + p.getFileName());
                for (Map<String, Object> d : docs) {
                    assertNotNull(d.get("apiVersion"), p + " apiVersion");
                    assertNotNull(d.get("kind"), p + " kind");
                }
            }
        }
    }

    @Test
    void theCustomResourceRunsTwoOptimizedInstancesOfOurImage() {
        Map<String, Object> kc = keycloak();
        assertEquals("k8s.keycloak.org/v2beta1", kc.get("apiVersion"));
        assertEquals("Keycloak", kc.get("kind"));
        assertEquals(2, at(kc, "spec", "instances"));
        assertTrue(String.valueOf(at(kc, "spec", "image")).contains("kc-connections:"), "our image");
        assertEquals(true, at(kc, "spec", "startOptimized"), "the image is built (kc.sh build) already");
        assertTrue(String.valueOf(at(kc, "spec", "hostname", "hostname")).startsWith("https://"));
        assertEquals("xforwarded", at(kc, "spec", "proxy", "headers"));
        assertEquals("true", options().get("health-enabled").get("value"));
        assertEquals("true", options().get("metrics-enabled").get("value"));
        assertEquals("jdbc-ping", options().get("cache-stack").get("value"));
    }

    @Test
    void theDatabaseAndTheKeyComeFromSecretsThatTheTemplatesDefine() {
        Map<String, Object> db = map(at(keycloak(), "spec", "db"), "db");
        assertEquals("postgres", db.get("vendor"));
        Map<String, Map<String, Object>> secrets = secrets();
        for (String ref : List.of("usernameSecret", "passwordSecret")) {
            Map<String, Object> s = map(db.get(ref), ref);
            assertTrue(secrets.containsKey(s.get("name")) && secrets.get(s.get("name")).containsKey(s.get("key")),
                    ref + " names a templated secret key: " + s);
        }
        Map<String, Object> key = options().get("spi-connect--default--token-encryption-key");
        assertNotNull(key, "the token key option");
        assertFalse(key.containsKey("value"), "the key is never inline");
        Map<String, Object> ref = map(key.get("secret"), "secret");
        assertTrue(secrets.containsKey(ref.get("name")) && secrets.get(ref.get("name")).containsKey(ref.get("key")),
                "the key's secret is templated: " + ref);
        Map<String, Object> old = options().get("spi-connect--default--token-encryption-old-keys");
        assertEquals(true, map(old.get("secret"), "secret").get("optional"), "old keys are optional");
    }

    @Test
    void templatesHoldPlaceholdersOnly() {
        for (Map.Entry<String, Map<String, Object>> s : secrets().entrySet()) {
            for (Map.Entry<String, Object> e : s.getValue().entrySet()) {
                String v = String.valueOf(e.getValue());
                boolean placeholder = v.startsWith("<") && v.endsWith(">");
                boolean username = e.getKey().equals("username");
                assertTrue(placeholder || username, s.getKey() + "." + e.getKey() + " is a placeholder, not a value");
            }
        }
    }
}
