package io.kcconnections.connect.webhooks;

import java.io.IOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The event id ({@code "id": "evt_…"}) of a verified Stripe delivery, its de-duplication key; null when absent. */
final class StripeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]{1,100}");

    private StripeEvents() {
    }

    static String id(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            String id = n == null ? null : n.path("id").asText(null);
            return id != null && ID.matcher(id).matches() ? id : null;
        } catch (IOException e) {
            return null;
        }
    }
}
