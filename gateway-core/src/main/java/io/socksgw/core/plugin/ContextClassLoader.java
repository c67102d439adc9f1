package io.socksgw.core.plugin;

import java.util.function.Supplier;

/**
 * Runs plugin code with the plugin's class loader as the thread's context class loader: libraries a
 * plugin bundles (ServiceLoader users, JAXB, Jackson modules) look up their classes there.
 */
final class ContextClassLoader {

    private ContextClassLoader() {}

    static <T> T call(ClassLoader loader, Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == loader) {
            return work.get();
        }
        thread.setContextClassLoader(loader);
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
