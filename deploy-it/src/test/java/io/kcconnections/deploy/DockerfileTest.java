package io.kcconnections.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker/Dockerfile: pinned Keycloak, Keycloak's build step with our jars, non-root, no secret baked in. */
class DockerfileTest {

    private static final String FILE = "docker/Dockerfile";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(?:^|.*_)(?:KEY|KEYS|SECRET|PASSWORD|PASSWD|PASS|TOKEN|CREDENTIALS?)(?:_.*|$)");

    /** The instructions, with continuation lines joined and comments dropped. */
    private static List<String> instructions() {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : RepoFiles.text(FILE).split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || t.isEmpty()) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            out.add(cur.append(t).toString());
            cur.setLength(0);
        }
        return out;
    }

    private static String keyword(String instruction) {
        return instruction.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    }

    @Test
    void keycloakStagesArePinnedToTheDistributionVersion() {
        String version = System.getProperty("keycloak.dist.version", "26.7.3");
        List<String> all = instructions();
        assertTrue(all.contains("ARG KEYCLOAK_VERSION=" + version), "ARG KEYCLOAK_VERSION=" + version);
        List<String> froms = all.stream().filter(i -> keyword(i).equals("FROM")).toList();
        List<String> keycloak = froms.stream().filter(f -> f.contains("quay.io/keycloak/keycloak")).toList();
        assertTrue(keycloak.size() >= 2, "a build stage and the runtime stage on Keycloak's image: " + froms);
        for (String f : keycloak) {
            assertTrue(f.contains("quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}"), f);
        }
        String last = froms.get(froms.size() - 1);
        assertTrue(last.startsWith("FROM quay.io/keycloak/keycloak:"), "the runtime image is Keycloak's: " + last);
        for (String f : froms) {
            assertFalse(f.contains(":latest"), "no floating tag: " + f);
        }
    }

    @Test
    void buildsTheExtensionWithNodeAndRunsKeycloaksBuild() {
        String all = String.join("\n", instructions());
        assertTrue(all.contains("FROM maven:3.9-eclipse-temurin-17"), "a Maven stage on Java 17");
        assertTrue(Pattern.compile("FROM node:(\\d+)").matcher(all).results()
                .anyMatch(m -> Integer.parseInt(m.group(1)) >= 18), "Node.js 18+ for the themes' npm build");
        assertTrue(all.contains("mvn ") && all.contains("package"), "the jars are built by Maven");
        for (String jar : List.of("connect-spi-*.jar", "connect-provider-*.jar", "connect-themes-*.jar")) {
            assertTrue(all.contains(jar + " /opt/keycloak/providers/"), jar + " goes into providers/");
        }
        Matcher build = Pattern.compile("RUN /opt/keycloak/bin/kc\\.sh build (.*)").matcher(all);
        assertTrue(build.find(), "kc.sh build");
        String opts = build.group(1);
        for (String o : List.of("--db=postgres", "--health-enabled=true", "--metrics-enabled=true")) {
            assertTrue(opts.contains(o), o + " in: " + opts);
        }
    }

    @Test
    void runsAsKeycloaksNonRootUser() {
        List<String> users = instructions().stream().filter(i -> keyword(i).equals("USER")).toList();
        assertFalse(users.isEmpty(), "a USER instruction");
        String last = users.get(users.size() - 1);
        assertEquals("USER 1000", last, "the last USER is the Keycloak image's user 1000");
        assertTrue(String.join("\n", instructions()).contains("ENTRYPOINT [\"/opt/keycloak/bin/kc-connections-entrypoint.sh\"]"));
    }

    @Test
    void noSecretIsBakedIn() {
        for (String i : instructions()) {
            String k = keyword(i);
            if (!k.equals("ENV") && !k.equals("ARG") && !k.equals("LABEL")) {
                continue;
            }
            String rest = i.substring(k.length()).strip();
            // ENV NAME=value [NAME=value…] or ENV NAME value
            Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)(?:=|\\s+)(\"[^\"]*\"|\\S*)").matcher(rest);
            while (m.find()) {
                String name = m.group(1);
                String value = m.group(2).replace("\"", "");
                boolean secretName = SECRET_NAME.matcher(name).matches() && !name.endsWith("_FILE");
                assertFalse(secretName && !value.isEmpty(), k + " " + name + " holds a value in the image");
            }
        }
        assertFalse(RepoFiles.text(FILE).contains("docker/secrets"), "the secrets folder is never copied");
        assertTrue(RepoFiles.text(".dockerignore").contains("docker/secrets/"), ".dockerignore keeps secrets out of the context");
    }

    @Test
    void dockerignoreKeepsBuildOutputOut() {
        List<String> lines = RepoFiles.text(".dockerignore").lines().map(String::strip).toList();
        for (String p : List.of(".git", "**/target/", "**/node_modules/")) {
            assertTrue(lines.contains(p), ".dockerignore lists " + p);
        }
    }
}
