/**
 * The integration-test harness: the one shared Keycloak server of a test JVM ({@link io.kcconnections.it.harness.TestServer},
 * {@link io.kcconnections.it.harness.KeycloakServer}), HTTP and browser clients ({@link io.kcconnections.it.harness.Http},
 * {@link io.kcconnections.it.harness.Browser}, {@link io.kcconnections.it.harness.Connect}), the admin API
 * ({@link io.kcconnections.it.harness.Admin}), direct reads of the database and of encrypted columns
 * ({@link io.kcconnections.it.harness.Db}, {@link io.kcconnections.it.harness.Vault}), the ledger of secrets the log scan looks for
 * ({@link io.kcconnections.it.harness.SecretLedger}), and a realm of each test's own ({@link io.kcconnections.it.harness.TestRealm},
 * {@link io.kcconnections.it.harness.FreshRealm}, {@link io.kcconnections.it.harness.RealmExtension}).
 * <p>
 * The tests live in one subpackage per capability ({@code connect}, {@code refresh}, {@code grants}, {@code mcp},
 * {@code login}, {@code providers}, {@code security}); stand-ins for other parties live in {@code fakes}. The harness
 * keeps this package because {@code bench/} builds on it through the test-jar.
 */
package io.kcconnections.it.harness;
