package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Counts every byte a channel reads, copied into a buffer or spliced into a pipe: the channel's own
 * receive-buffer allocator, wrapped. A splice never shows its bytes to a handler, but Netty reports
 * every read's size to this handle, so the relay can still count bytes exactly and tell whether a read
 * found anything.
 *
 * <p>One instance per channel (it keeps that channel's handle), installed before the channel first
 * reads: Netty creates the handle once and keeps it.
 */
public final class ReadCounter implements MaxMessagesRecvByteBufAllocator {

    private final MaxMessagesRecvByteBufAllocator delegate;
    private CountingHandle handle;

    private ReadCounter(MaxMessagesRecvByteBufAllocator delegate) {
        this.delegate = delegate;
    }

    /**
     * Wraps the channel's allocator in a counter, unless it cannot be wrapped (then splice is not used
     * for this channel). Call before the channel first reads.
     */
    public static void install(Channel channel) {
        ChannelConfig config = channel.config();
        if (config.getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator allocator
                && !(allocator instanceof ReadCounter)) {
            config.setRecvByteBufAllocator(new ReadCounter(allocator));
        }
    }

    /** The counter of this channel, or null when none was installed. */
    static ReadCounter of(Channel channel) {
        return channel.config().getRecvByteBufAllocator() instanceof ReadCounter counter ? counter : null;
    }

    /** Bytes read so far (Netty makes the handle at the first read). Event loop only. */
    long total() {
        return handle == null ? 0 : handle.total;
    }

    @Override
    public Handle newHandle() {
        handle = new CountingHandle((ExtendedHandle) delegate.newHandle());
        return handle;
    }

    @Override
    public int maxMessagesPerRead() {
        return delegate.maxMessagesPerRead();
    }

    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        delegate.maxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    private static final class CountingHandle implements ExtendedHandle {
        private final ExtendedHandle delegate;
        private long total;

        CountingHandle(ExtendedHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public void lastBytesRead(int bytes) {
            if (bytes > 0) {
                total += bytes;
            }
            delegate.lastBytesRead(bytes);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return delegate.allocate(alloc);
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
