package io.kcconnections.it.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link TestRealm} field of a test class: {@link RealmExtension} sets it to a realm of the test's own and
 * removes that realm afterwards.
 * <pre>{@code
 * class ConnectFlowIT {
 *     @FreshRealm
 *     private TestRealm realm;   // a new realm for each test, removed after it
 * }
 * }</pre>
 * The realm lives as long as the test instance: one per test method by default, one for the whole class under
 * {@code @TestInstance(PER_CLASS)}.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealmExtension.class)
public @interface FreshRealm {
}
