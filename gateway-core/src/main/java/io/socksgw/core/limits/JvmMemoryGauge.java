package io.socksgw.core.limits;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Reads this JVM's memory. The heap is judged after collection: the live heap between collections
 * says nothing (it fills with garbage, then drops), what the last collection could not free does.
 */
public final class JvmMemoryGauge implements MemoryUse.Gauge {

    /** The tenured pools (the ones with a usage threshold: old gen of G1, Parallel, Serial; ZGC's single heap). */
    private final List<MemoryPoolMXBean> tenured = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                    && pool.isCollectionUsageThresholdSupported())
            .toList();

    @Override
    public MemoryUse read() {
        return new MemoryUse(heapAfterGc(), directMemory());
    }

    private double heapAfterGc() {
        double share = 0;
        for (MemoryPoolMXBean pool : tenured) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc == null) {
                continue;
            }
            long max = afterGc.getMax() > 0 ? afterGc.getMax() : Runtime.getRuntime().maxMemory();
            share = Math.max(share, (double) afterGc.getUsed() / max);
        }
        return share;
    }

    /**
     * The larger of Netty's own count (-1 when it keeps none: buffers freed by cleaners) and what the
     * default allocator holds.
     */
    private static double directMemory() {
        long max = PlatformDependent.maxDirectMemory();
        if (max <= 0) {
            return 0;
        }
        // The default allocator only: touching another (PooledByteBufAllocator.DEFAULT) would create it.
        long used = PlatformDependent.usedDirectMemory();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            used = Math.max(used, provider.metric().usedDirectMemory());
        }
        return (double) used / max;
    }
}
