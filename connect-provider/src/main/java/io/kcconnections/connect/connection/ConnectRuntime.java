package io.kcconnections.connect.connection;

import io.kcconnections.connect.credentials.HealthProber;
import io.kcconnections.connect.limits.RateLimits;

import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.mcp.ConnectionProviders;
import io.kcconnections.connect.mcp.McpCatalog;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.refresh.KeyRewrap;
import io.kcconnections.connect.refresh.RefreshPass;
import io.kcconnections.connect.refresh.Refresher;

/**
 * What one node builds once at start-up and every request shares: options, keys, the provider registry and the
 * workers that hold state across requests (the single-flight refresher, the background pass).
 */
public record ConnectRuntime(ConnectSettings settings, KeyRingSource keys, ProviderRegistry registry, HostPolicy policy,
                      McpConnect mcp, ConnectionProviders providers, Refresher refresher, RefreshPass refreshPass,
                      KeyRewrap keyRewrap, McpCatalog mcpCatalog, RateLimits limits,
                      HealthProber prober) {
}
