package io.kcconnections.it.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.kcconnections.it.harness.KeycloakServer;
import io.kcconnections.it.harness.SecretLedger;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs after every other test class of the JVM (see junit-platform.properties): no server log of the run contains
 * a token, code, verifier, client secret or key the tests saw, nor anything shaped like one after a telling name.
 * The servers log our package at DEBUG, so debug lines are held to the same rule.
 */
@Order(Integer.MAX_VALUE)
class LogHygieneIT {

    private static final Pattern SHAPES = Pattern.compile(
            "(code_verifier|client_secret|refresh_token|access_token|id_token)[\"']?\\s*[=:]\\s*[\"']?([A-Za-z0-9._~+/-]{20,})"
                    + "|Bearer\\s+(ey[A-Za-z0-9_-]{20,})");

    @Test
    @DisplayName("no secret the tests saw, and nothing secret-shaped, appears in any server log")
    void noSecretsInServerLogs() throws IOException {
        Path dir = Path.of(KeycloakServer.prop("kc.work", "target")).resolve("kc-logs");
        List<Path> logs;
        try (Stream<Path> s = Files.list(dir)) {
            logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertFalse(logs.isEmpty(), "no server logs to scan");
        List<String> secrets = new ArrayList<>(SecretLedger.all());
        assertTrue(secrets.size() > 3, "the tests noted too few secrets for this check to mean anything: " + secrets.size());
        List<String> findings = new ArrayList<>();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    findings.add(log.getFileName() + ": contains a secret the tests saw (" + secret.substring(0, 6) + "…)");
                }
            }
            Matcher m = SHAPES.matcher(text);
            while (m.find()) {
                findings.add(log.getFileName() + ": secret-shaped text: " + m.group().substring(0, Math.min(30, m.group().length())) + "…");
            }
        }
        assertTrue(findings.isEmpty(), String.join("\n", findings));
        System.out.printf("[log-hygiene] %d logs scanned for %d secrets%n", logs.size(), secrets.size());
    }
}
