package io.socksgw.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.FalsifiedSample;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.ShrunkFalsifiedSample;
import org.junit.jupiter.api.Test;

/** The leak check every property class runs really fails a property that dropped a buffer. */
class NoLeakedBuffersTest {

    private final NoLeakedBuffers hook = new NoLeakedBuffers();

    @Test
    void failsAPropertyThatLeakedABuffer() throws Throwable {
        PropertyExecutionResult result = hook.aroundProperty(contextLabelled("leakyProperty"), () -> {
            leakOneBuffer();
            return Result.SUCCESSFUL;
        });

        assertThat(result.status()).isEqualTo(PropertyExecutionResult.Status.FAILED);
        assertThat(result.throwable()).get().asString()
                .contains("1 leaked buffer(s) while leakyProperty ran:")
                .contains("leakOneBuffer");
    }

    @Test
    void passesAPropertyThatReleasedEverything() throws Throwable {
        PropertyExecutionResult result = hook.aroundProperty(contextLabelled("tidyProperty"), () -> {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            buffer.writeLong(42);
            buffer.release();
            return Result.SUCCESSFUL;
        });

        assertThat(result.status()).isEqualTo(PropertyExecutionResult.Status.SUCCESSFUL);
    }

    /** Registered once on a class, it must reach every property in it (jqwik's default would not). */
    @Test
    void appliesToEveryPropertyOfTheClassItIsRegisteredOn() {
        assertThat(hook.propagateTo()).isEqualTo(PropagationMode.ALL_DESCENDANTS);
    }

    /** Allocates and forgets a buffer; once this frame is gone nothing refers to it. */
    private static void leakOneBuffer() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
    }

    private static PropertyLifecycleContext contextLabelled(String label) {
        return (PropertyLifecycleContext) Proxy.newProxyInstance(PropertyLifecycleContext.class.getClassLoader(),
                new Class<?>[] {PropertyLifecycleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("label")) {
                        return label;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The least of a property's result: a status and a cause. */
    private record Result(Status status, Optional<Throwable> throwable) implements PropertyExecutionResult {

        static final Result SUCCESSFUL = new Result(Status.SUCCESSFUL, Optional.empty());

        @Override
        public PropertyExecutionResult mapTo(Status newStatus, Throwable cause) {
            return new Result(newStatus, Optional.ofNullable(cause));
        }

        @Override
        public Optional<String> seed() {
            return Optional.empty();
        }

        @Override
        public Optional<List<Object>> falsifiedParameters() {
            return Optional.empty();
        }

        @Override
        public int countChecks() {
            return 1;
        }

        @Override
        public int countTries() {
            return 1;
        }

        @Override
        public Optional<FalsifiedSample> originalSample() {
            return Optional.empty();
        }

        @Override
        public Optional<ShrunkFalsifiedSample> shrunkSample() {
            return Optional.empty();
        }
    }
}
