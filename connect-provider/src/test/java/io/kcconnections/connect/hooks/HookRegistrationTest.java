package io.kcconnections.connect.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import io.kcconnections.connect.catalog.Catalog;
import io.kcconnections.connect.spi.ProviderHookFactory;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class HookRegistrationTest {

    @Test
    @DisplayName("every hook a catalog entry names is registered in META-INF/services by this jar")
    void catalogHooksAreRegistered() {
        Set<String> registered = ServiceLoader.load(ProviderHookFactory.class).stream()
                .map(p -> p.get().getId()).collect(Collectors.toSet());
        assertTrue(registered.contains(AppleHookFactory.ID), registered.toString());
        List<String> missing = new ArrayList<>();
        for (ProviderTemplate t : Catalog.load(getClass().getClassLoader()).templates().values()) {
            if (t.hook() != null && !registered.contains(t.hook())) {
                missing.add(t.name() + " names hook " + t.hook());
            }
        }
        assertTrue(missing.isEmpty(), missing.toString());
    }
}
