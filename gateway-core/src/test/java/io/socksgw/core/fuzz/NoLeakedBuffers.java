package io.socksgw.core.fuzz;

import io.socksgw.core.testing.LeakCheckExtension;
import java.lang.reflect.Method;
import java.util.List;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Fails a property when Netty reported a leaked buffer while it ran: {@link LeakCheckExtension} for
 * jqwik, whose containers Jupiter's auto-detected extensions never see.
 *
 * <p>The detector only notices a leak once the buffer was collected, so this runs after all of a
 * property's tries (a collection per try would cost more than the tries); the failure names the
 * property, and the leak records say where the buffer was last touched.
 */
public final class NoLeakedBuffers implements AroundPropertyHook {

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property)
            throws Throwable {
        PropertyExecutionResult result = property.execute();
        List<String> leaks = collectLeaks();
        if (leaks.isEmpty()) {
            return result;
        }
        return result.mapToFailed(leaks.size() + " leaked buffer(s) while " + context.label() + " ran:\n"
                + String.join("\n\n", leaks));
    }

    /** Registered on a property class, it checks after each of its properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** The extension's own collection (package-private there; one check, not two that could drift). */
    @SuppressWarnings("unchecked")
    private static List<String> collectLeaks() throws Exception {
        Method collect = LeakCheckExtension.class.getDeclaredMethod("collectLeaks");
        collect.setAccessible(true);
        return (List<String>) collect.invoke(null);
    }
}
