package dev.kbi.localkafka;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * JUnit 5 extension giving tests a real Kafka broker: one broker for the whole test run (all classes using the
 * extension in one JVM), stopped when the run ends.
 *
 * <p>Use with {@code @ExtendWith(KafkaBrokerExtension.class)} and a field or parameter of type {@link KafkaBroker}
 * (static fields are set before {@code @BeforeAll}, instance fields before {@code @BeforeEach}). Topics are not
 * auto-created: create them with {@link Topics#ensureTopics}, with names unique to each test class since the broker
 * is shared.
 *
 * <p>Which broker: system property {@code kbi.test.broker} = {@code inprocess}, {@code process} or
 * {@code testcontainers} forces one; otherwise Testcontainers when Docker is available, else the in-process test kit
 * when its jars ({@code kafka-test-common-runtime}, {@code kafka_2.13}) are on the test class path, else a
 * {@link LocalKafkaBroker} process. All use the same single-node settings (replication factor 1, 8 MiB messages).
 *
 * <p>The broker lives in the root context's store as an {@link AutoCloseable}, which JUnit (5.13 and later, including
 * 6) closes when the run ends; JUnit 6 deprecates the older {@code Store.CloseableResource} for this.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final System.Logger LOG = System.getLogger(KafkaBrokerExtension.class.getName());

    /** The broker of this test run, started on first use. */
    public static KafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(TestBroker.class, key -> startBroker(), TestBroker.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        injectFields(context, context.getRequiredTestClass(), null);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        injectFields(context, testInstance.getClass(), testInstance);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /** Sets static fields (instance == null) or instance fields of type KafkaBroker, including inherited ones. */
    private static void injectFields(ExtensionContext context, Class<?> testClass, Object instance) {
        for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (field.getType() != KafkaBroker.class || Modifier.isFinal(modifiers)
                        || Modifier.isStatic(modifiers) != (instance == null)) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    field.set(instance, broker(context));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new ExtensionConfigurationException("Cannot set " + field, e);
                }
            }
        }
    }

    private static TestBroker startBroker() {
        TestBrokerKind kind = TestBrokerKind.choose(System.getProperty(TestBrokerKind.PROPERTY),
                ContainerTestBroker::dockerAvailable);
        long started = System.nanoTime();
        TestBroker broker;
        try {
            broker = switch (kind) {
                case INPROCESS -> InProcessTestBroker.start(BrokerSettings.DEFAULT_MESSAGE_MAX_BYTES);
                case PROCESS -> ProcessTestBroker.start(BrokerSettings.DEFAULT_MESSAGE_MAX_BYTES);
                case TESTCONTAINERS -> ContainerTestBroker.start(BrokerSettings.DEFAULT_MESSAGE_MAX_BYTES);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtensionConfigurationException("Interrupted while starting the " + kind + " Kafka broker", e);
        } catch (Exception e) {
            throw new ExtensionConfigurationException("Cannot start the " + kind + " Kafka broker (choose another"
                    + " with -D" + TestBrokerKind.PROPERTY + "=inprocess|process|testcontainers)", e);
        }
        LOG.log(System.Logger.Level.INFO, "Kafka test broker ({0}) ready at {1} in {2} ms", kind,
                broker.bootstrapServers(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        return broker;
    }
}
