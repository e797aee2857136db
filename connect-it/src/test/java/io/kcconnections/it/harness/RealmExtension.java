package io.kcconnections.it.harness;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a realm of its own on the shared server, in place of a {@code setUp} that calls
 * {@link TestRealm#create()} and a {@code tearDown} that closes it. Registered by {@link FreshRealm} on a field.
 * <p>
 * Lifetime follows the test instance. By default (a new instance per test method) the realm is made before the
 * class's {@code @BeforeEach} methods and removed after its {@code @AfterEach} methods; under
 * {@code @TestInstance(PER_CLASS)} it is made before the {@code @BeforeAll} methods and removed after the
 * {@code @AfterAll} methods. Either way the class's own set-up and tear-down methods can use the realm (sign people
 * in, connect them, add clients) and the realm is still there while they run.
 * <p>
 * Removing the realm also removes the people the test made at the upstream realm ({@link TestRealm#upstreamUser()}).
 * A test that closes its realm and puts another into the field (to prove what removing a realm does) gets the
 * replacement removed as well.
 */
public final class RealmExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealmExtension.class);
    private static final String CREATED = "realm";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (perClass(context)) {
            open(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass(context)) {
            open(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass(context)) {
            close(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (perClass(context)) {
            close(context);
        }
    }

    private static boolean perClass(ExtensionContext context) {
        return context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD) == TestInstance.Lifecycle.PER_CLASS;
    }

    private static void open(ExtensionContext context) throws IllegalAccessException {
        Object instance = context.getRequiredTestInstance();
        List<Field> fields = fields(instance.getClass());
        if (fields.isEmpty()) {
            return;
        }
        TestRealm realm = TestRealm.create();
        context.getStore(NAMESPACE).put(CREATED, realm);
        for (Field f : fields) {
            f.set(instance, realm);
        }
    }

    /** Removes the realm made for this test and any other realm the test left in the field. */
    private static void close(ExtensionContext context) throws IllegalAccessException {
        List<TestRealm> realms = new ArrayList<>();
        TestRealm created = context.getStore(NAMESPACE).remove(CREATED, TestRealm.class);
        Object instance = context.getRequiredTestInstance();
        for (Field f : fields(instance.getClass())) {
            TestRealm current = (TestRealm) f.get(instance);
            if (current != null && !realms.contains(current)) {
                realms.add(current);
            }
        }
        if (created != null && !realms.contains(created)) {
            realms.add(created);
        }
        Throwable failure = null;
        for (TestRealm r : realms) {
            try {
                r.close();
            } catch (RuntimeException | AssertionError e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof AssertionError e) {
            throw e;
        }
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(FreshRealm.class)) {
                    continue;
                }
                if (f.getType() != TestRealm.class || Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                    throw new ExtensionConfigurationException("@FreshRealm needs a non-static, non-final TestRealm field: " + f);
                }
                f.setAccessible(true);
                out.add(f);
            }
        }
        return out;
    }
}
