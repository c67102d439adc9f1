package io.socksgw.core.limits;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-client-address state with a bounded size: when full, the least recently used address is
 * forgotten, so a flood from many addresses costs bounded memory. Split into independently locked
 * stripes, because connections from different addresses arrive on different event loops at once.
 *
 * @param <V> the state kept per address; touched only under its stripe's lock
 */
final class IpTable<V> {

    private static final int STRIPES = 16;

    private final Stripe<V>[] stripes;

    /** Remembers about {@code capacity} addresses (rounded up to a multiple of the stripe count). */
    @SuppressWarnings("unchecked")
    IpTable(int capacity) {
        int perStripe = Math.max(1, (capacity + STRIPES - 1) / STRIPES);
        stripes = new Stripe[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe<>(perStripe);
        }
    }

    /** Applies {@code action} to the address's state, created first when absent, under its lock. */
    <R> R update(InetAddress address, Supplier<V> create, Function<V, R> action) {
        Stripe<V> stripe = stripeOf(address);
        synchronized (stripe) {
            return action.apply(stripe.computeIfAbsent(address, a -> create.get()));
        }
    }

    /** Applies {@code action} to the address's state when there is one; never creates it. */
    <R> R peek(InetAddress address, Function<V, R> action, R absent) {
        Stripe<V> stripe = stripeOf(address);
        synchronized (stripe) {
            V value = stripe.get(address);
            return value == null ? absent : action.apply(value);
        }
    }

    /** Addresses remembered now. */
    int size() {
        int size = 0;
        for (Stripe<V> stripe : stripes) {
            synchronized (stripe) {
                size += stripe.size();
            }
        }
        return size;
    }

    private Stripe<V> stripeOf(InetAddress address) {
        int h = address.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /** One stripe: a map in access order that drops its eldest entry past its capacity. */
    private static final class Stripe<V> extends LinkedHashMap<InetAddress, V> {
        private static final long serialVersionUID = 1L;
        private final int capacity;

        Stripe(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, V> eldest) {
            return size() > capacity;
        }
    }
}
