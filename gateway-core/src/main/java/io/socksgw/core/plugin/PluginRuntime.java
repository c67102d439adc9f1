package io.socksgw.core.plugin;

import com.typesafe.config.ConfigException;
import io.socksgw.api.PluginContext;
import io.socksgw.api.PluginFactory;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.route.Router;
import io.socksgw.core.config.ConfigProblem;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.config.PluginSpec;
import io.socksgw.core.plugin.PluginCatalog.ExtensionPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import io.socksgw.api.route.HopProber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin components of one configuration, assembled into the four chains the server runs.
 * Closing it closes every component that is {@link AutoCloseable}.
 */
public final class PluginRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginRuntime.class);

    private final AuthenticationChain authentication;
    private final AccessChain access;
    private final RoutingChain routing;
    private final SessionEventDispatcher events;
    private final List<Object> components;

    private PluginRuntime(AuthenticationChain authentication, AccessChain access, RoutingChain routing,
            SessionEventDispatcher events, List<Object> components) {
        this.authentication = authentication;
        this.access = access;
        this.routing = routing;
        this.events = events;
        this.components = components;
    }

    /**
     * Creates every configured component.
     *
     * @throws InvalidConfigException naming each entry whose plugin is unknown or whose block is bad
     */
    public static PluginRuntime create(GatewayConfig config, PluginCatalog catalog, Executor blockingExecutor,
            ScheduledExecutorService scheduler, HopProber prober) {
        return create(config, catalog, blockingExecutor, scheduler, prober, List.of());
    }

    /**
     * Creates every configured component; {@code internalListeners} (the gateway's own, e.g. metrics)
     * get every session event too, on a queue of their own.
     *
     * @throws InvalidConfigException naming each entry whose plugin is unknown or whose block is bad
     */
    public static PluginRuntime create(GatewayConfig config, PluginCatalog catalog, Executor blockingExecutor,
            ScheduledExecutorService scheduler, HopProber prober, List<Named<SessionListener>> internalListeners) {
        AtomicReference<SessionEventDispatcher> events = new AtomicReference<>();
        Assembler assembler = new Assembler(config, catalog, blockingExecutor, scheduler, prober, events);
        List<Named<Authenticator>> authenticators = assembler.build(ExtensionPoint.AUTHENTICATOR, config.authenticators(), Authenticator.class);
        List<Named<AccessPolicy>> policies = assembler.build(ExtensionPoint.ACCESS_POLICY, config.accessPolicies(), AccessPolicy.class);
        List<Named<Router>> routers = assembler.build(ExtensionPoint.ROUTER, config.routers(), Router.class);
        List<Named<SessionListener>> listeners = assembler.build(ExtensionPoint.SESSION_LISTENER, config.sessionListeners(), SessionListener.class);
        if (!assembler.problems.isEmpty()) {
            assembler.closeCreated();
            throw new InvalidConfigException(assembler.problems);
        }
        events.set(new SessionEventDispatcher(listeners, internalListeners, config.eventQueueSize()));
        return new PluginRuntime(
                new AuthenticationChain(authenticators),
                new AccessChain(policies, config.accessDefault()),
                new RoutingChain(routers),
                events.get(),
                assembler.created);
    }

    public AuthenticationChain authentication() {
        return authentication;
    }

    public AccessChain access() {
        return access;
    }

    public RoutingChain routing() {
        return routing;
    }

    public SessionEventDispatcher events() {
        return events;
    }

    @Override
    public void close() {
        events.close();
        closeAll(components);
    }

    private static void closeAll(List<Object> components) {
        for (Object component : components) {
            if (component instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing plugin component {} failed", component.getClass().getName(), e);
                }
            }
        }
    }

    /** Creates components and collects the problems of every entry. */
    private static final class Assembler {
        private final GatewayConfig config;
        private final PluginCatalog catalog;
        private final Executor blockingExecutor;
        private final ScheduledExecutorService scheduler;
        private final HopProber prober;
        private final AtomicReference<SessionEventDispatcher> events;
        private final List<ConfigProblem> problems = new ArrayList<>();
        private final List<Object> created = new ArrayList<>();

        Assembler(GatewayConfig config, PluginCatalog catalog, Executor blockingExecutor, ScheduledExecutorService scheduler,
                HopProber prober, AtomicReference<SessionEventDispatcher> events) {
            this.config = config;
            this.catalog = catalog;
            this.blockingExecutor = blockingExecutor;
            this.scheduler = scheduler;
            this.prober = prober;
            this.events = events;
        }

        <T> List<Named<T>> build(ExtensionPoint point, List<PluginSpec> specs, Class<T> type) {
            List<Named<T>> built = new ArrayList<>();
            for (PluginSpec spec : specs) {
                PluginFactory<?> factory = catalog.find(point, spec.factoryName());
                if (factory == null) {
                    problems.add(new ConfigProblem(spec.path() + ".plugin", "no " + point.label() + " plugin named '"
                            + spec.factoryName() + "'; expected one of " + catalog.names(point), ""));
                    continue;
                }
                PluginContext context = new DefaultPluginContext(spec.instanceName(), blockingExecutor, scheduler,
                        config.configDirectory(), prober, events);
                try {
                    // A plugin from plugins/<name>/ runs its set-up with its own loader as context loader.
                    Object component = ContextClassLoader.call(factory.getClass().getClassLoader(),
                            () -> factory.create(spec.config(), context));
                    if (!type.isInstance(component)) {
                        throw new IllegalStateException("factory returned " + component);
                    }
                    created.add(component);
                    built.add(new Named<>(spec.instanceName(), type.cast(component)));
                } catch (ConfigException e) {
                    problems.add(new ConfigProblem(spec.path(), e.getMessage(), ""));
                } catch (RuntimeException | LinkageError e) { // LinkageError: a plugin jar lacks a dependency
                    problems.add(new ConfigProblem(spec.path(), point.label() + " '" + spec.factoryName()
                            + "' failed to start: " + e, ""));
                }
            }
            return built;
        }

        void closeCreated() {
            closeAll(created);
        }
    }
}
