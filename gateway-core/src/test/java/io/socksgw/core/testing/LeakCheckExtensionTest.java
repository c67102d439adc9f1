package io.socksgw.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/** The leak check every test class runs really notices a buffer that was never released. */
class LeakCheckExtensionTest {

    @BeforeEach
    void forgetEarlierLeaks() throws InterruptedException {
        LeakCheckExtension.collectLeaks();
    }

    @Test
    void recordsAPooledBufferDroppedWithoutRelease() throws InterruptedException {
        leakOneBuffer();

        assertThat(LeakCheckExtension.collectLeaks()).singleElement().asString()
                .startsWith("LEAK: ByteBuf.release() was not called before it was garbage-collected.")
                .contains("leakOneBuffer");
    }

    @Test
    void recordsNothingForABufferThatWasReleased() throws InterruptedException {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
        buffer.release();

        assertThat(LeakCheckExtension.collectLeaks()).isEmpty();
    }

    @Test
    void failsTheTestClassThatLeaked() {
        leakOneBuffer();

        assertThatThrownBy(() -> new LeakCheckExtension().afterAll(contextNamed("LeakyTest")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("1 leaked buffer(s) while LeakyTest ran:");
    }

    /** Allocates and forgets a buffer; once this frame is gone nothing refers to it. */
    private static void leakOneBuffer() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
    }

    private static ExtensionContext contextNamed(String name) {
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getDisplayName")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
