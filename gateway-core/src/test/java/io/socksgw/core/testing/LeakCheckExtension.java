package io.socksgw.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every test
 * class through JUnit's extension auto-detection (see {@code junit-platform.properties}).
 *
 * <p>The detector only notices a leak after the garbage collector has collected the buffer and a
 * later allocation polls its queue, so this collects and allocates a few times before looking.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " leaked buffer(s) while " + context.getDisplayName() + " ran:\n"
                    + String.join("\n\n", leaks));
        }
    }

    /** Makes the detector notice buffers that became garbage unreleased, and returns (and clears) what it recorded. */
    static List<String> collectLeaks() throws InterruptedException {
        if (!LeakRecorder.installed()) {
            LeakRecorder.install();
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            pollDetectors();
        }
        return LeakRecorder.drain();
    }

    private static void pollDetectors() {
        for (int i = 0; i < 64; i++) {
            ByteBuf pooledDirect = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            ByteBuf pooledHeap = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(16);
            pooledDirect.release();
            pooledHeap.release();
            unpooled.release();
        }
    }
}
