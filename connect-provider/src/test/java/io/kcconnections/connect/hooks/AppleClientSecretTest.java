package io.kcconnections.connect.hooks;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppleClientSecretTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private final AppleClientSecret secrets = new AppleClientSecret(Clock.fixed(NOW, ZoneOffset.UTC));

    static KeyPair ecKey(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static String pem(KeyPair k) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    @DisplayName("the client secret is an ES256 JWT with Apple's claims, verifiable with the key's public half")
    void signsAppleClientSecret() throws Exception {
        KeyPair k = ecKey("secp256r1");
        String jwt = secrets.sign("TEAM123456", "KEY1234567", "com.example.web", pem(k));
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("ES256", header.get("alg").asText());
        assertEquals("KEY1234567", header.get("kid").asText());
        assertEquals("TEAM123456", claims.get("iss").asText());
        assertEquals("com.example.web", claims.get("sub").asText());
        assertEquals("https://appleid.apple.com", claims.get("aud").asText());
        assertEquals(NOW.getEpochSecond(), claims.get("iat").asLong());
        assertEquals(NOW.getEpochSecond() + 600, claims.get("exp").asLong());
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        assertEquals(64, sig.length, "JWS ES256 signatures are R || S, 64 bytes");
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(k.getPublic());
        v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(v.verify(sig));
        Signature other = Signature.getInstance("SHA256withECDSAinP1363Format");
        other.initVerify(ecKey("secp256r1").getPublic());
        other.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertFalse(other.verify(sig), "another key does not verify it");
    }

    @Test
    @DisplayName("the key may come with escaped line breaks (an environment variable) or as its bare base64 body")
    void keyForms() throws Exception {
        KeyPair k = ecKey("secp256r1");
        String bare = Base64.getEncoder().encodeToString(k.getPrivate().getEncoded());
        assertEquals(3, secrets.sign("TEAM123456", "KEY1234567", "c", pem(k).replace("\n", "\\n")).split("\\.").length);
        assertEquals(3, secrets.sign("TEAM123456", "KEY1234567", "c", bare).split("\\.").length);
    }

    @Test
    @DisplayName("wrong keys and ids are refused with messages that never contain the key")
    void refusals() throws Exception {
        String p384 = pem(ecKey("secp384r1"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> secrets.sign("TEAM123456", "KEY1234567", "c", p384));
        assertTrue(e.getMessage().contains("P-256"));
        assertFalse(e.getMessage().contains(p384.substring(30, 60)));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaPem = pem(rsa.generateKeyPair());
        assertThrows(IllegalStateException.class, () -> secrets.sign("TEAM123456", "KEY1234567", "c", rsaPem));
        assertThrows(IllegalStateException.class, () -> secrets.sign("TEAM123456", "KEY1234567", "c", "not a key!"));
        assertThrows(IllegalStateException.class, () -> secrets.sign("TEAM123456", "KEY1234567", "c", ""));
        assertThrows(IllegalStateException.class, () -> secrets.sign("TEAM123456", "KEY1234567", "c",
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"));
        String good = pem(ecKey("secp256r1"));
        assertThrows(IllegalStateException.class, () -> secrets.sign(null, "KEY1234567", "c", good));
        assertThrows(IllegalStateException.class, () -> secrets.sign("team", "KEY1234567", "c", good));
        assertThrows(IllegalStateException.class, () -> secrets.sign("TEAM123456", "KEY1234567", " ", good));
    }
}
