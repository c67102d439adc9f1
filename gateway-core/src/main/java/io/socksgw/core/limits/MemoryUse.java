package io.socksgw.core.limits;

/**
 * One reading of the gateway's memory, each as a share of its maximum (0 to 1).
 *
 * @param heapAfterGc the heap's old generation as the last collection left it
 * @param directMemory direct memory in use (Netty's buffers)
 */
public record MemoryUse(double heapAfterGc, double directMemory) {

    /** Reads the memory now. */
    @FunctionalInterface
    public interface Gauge {
        MemoryUse read();
    }
}
