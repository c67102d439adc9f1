package io.socksgw.core.plugin;

import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds small plugin jars while a test runs: Java sources compiled against the SPI (plus Typesafe
 * Config and SLF4J, which plugins share with the gateway), then jarred with any resources. Each jar
 * stands for something a third party would drop into {@code plugins/<name>/}.
 */
final class PluginJars {

    static final String SERVICES = "META-INF/services/" + GatewayPlugin.class.getName();

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    private PluginJars() {}

    static PluginJars jar() {
        return new PluginJars();
    }

    /** A Java source of the class {@code className}. */
    PluginJars source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    PluginJars resource(String path, String text) {
        resources.put(path, text);
        return this;
    }

    /** Registers {@code providerClass} in {@code META-INF/services/io.socksgw.api.GatewayPlugin}. */
    PluginJars provider(String providerClass) {
        return resource(SERVICES, providerClass + "\n");
    }

    /** Compiles and writes the jar to {@code jar}, creating its directory. */
    Path writeTo(Path jar) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file);
        }
        if (!files.isEmpty()) {
            compile(files, classes);
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    add(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                add(out, resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static void compile(List<Path> files, Path classes) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("tests need a JDK (javax.tools.JavaCompiler), not a JRE");
        }
        String classPath = String.join(File.pathSeparator,
                location(GatewayPlugin.class), location(Config.class), location(org.slf4j.Logger.class));
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn",
                "-classpath", classPath, "-d", classes.toString()));
        files.forEach(file -> arguments.add(file.toString()));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = compiler.run(null, null, errors, arguments.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("compiling the test plugin failed:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the sample plugins the tests use -----------------------------------------------------------

    /**
     * A plugin that bundles its own {@code com.google.inject.Guice} (a stand-in reporting version
     * {@code plugin-guice-0.1}: core uses the real Guice 7) and offers an authenticator
     * {@code jar-none}, a policy {@code jar-allow} and a router {@code guice-router}. The router
     * connects directly and says, in its route's reason, which Guice it sees, its
     * {@code greeting} (from its reference.conf), whether core and Netty are visible to it, and
     * whether the context class loader was its own when it was instantiated and created.
     */
    static PluginJars guicePlugin() {
        return jar()
                .source("com.google.inject.Guice", """
                        package com.google.inject;

                        /** Not Guice: a class of the same name, as a different Guice version would be. */
                        public final class Guice {
                            public static String version() {
                                return "plugin-guice-0.1";
                            }
                        }
                        """)
                .source("com.example.guice.GuicePlugin", """
                        package com.example.guice;

                        import io.socksgw.api.*;
                        import io.socksgw.api.access.*;
                        import io.socksgw.api.auth.*;
                        import io.socksgw.api.route.*;
                        import com.typesafe.config.Config;
                        import java.util.*;
                        import java.util.concurrent.CompletableFuture;

                        public final class GuicePlugin implements GatewayPlugin {
                            static volatile boolean instantiatedUnderOwnLoader;

                            public GuicePlugin() {
                                instantiatedUnderOwnLoader = Thread.currentThread().getContextClassLoader() == GuicePlugin.class.getClassLoader();
                            }

                            @Override public List<AuthenticatorFactory> authenticators() {
                                return List.of(new AuthenticatorFactory() {
                                    public String name() { return "jar-none"; }
                                    public Authenticator create(Config config, PluginContext context) {
                                        return new Authenticator() {
                                            public Set<AuthMethod> methods() { return Set.of(AuthMethod.NO_AUTH); }
                                            public CompletableFuture<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
                                                return CompletableFuture.completedFuture(AuthResult.accept(Principal.ANONYMOUS));
                                            }
                                        };
                                    }
                                });
                            }

                            @Override public List<AccessPolicyFactory> accessPolicies() {
                                return List.of(new AccessPolicyFactory() {
                                    public String name() { return "jar-allow"; }
                                    public AccessPolicy create(Config config, PluginContext context) {
                                        return request -> CompletableFuture.completedFuture(Decision.allow("jar-allow"));
                                    }
                                });
                            }

                            @Override public List<RouterFactory> routers() {
                                return List.of(new GuiceRouterFactory());
                            }
                        }
                        """)
                .source("com.example.guice.GuiceRouterFactory", """
                        package com.example.guice;

                        import io.socksgw.api.PluginContext;
                        import io.socksgw.api.route.*;
                        import com.typesafe.config.Config;
                        import java.util.List;
                        import java.util.concurrent.CompletableFuture;
                        import org.slf4j.LoggerFactory;

                        public final class GuiceRouterFactory implements RouterFactory {
                            public String name() { return "guice-router"; }

                            public Router create(Config config, PluginContext context) {
                                boolean createdUnderOwnLoader = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
                                String reason = "guice=" + com.google.inject.Guice.version()
                                        + " greeting=" + config.getString("greeting")
                                        + " core-visible=" + visible("io.socksgw.core.Gateway")
                                        + " netty-visible=" + visible("io.netty.channel.Channel")
                                        + " instantiated-under-own-loader=" + GuicePlugin.instantiatedUnderOwnLoader
                                        + " created-under-own-loader=" + createdUnderOwnLoader;
                                LoggerFactory.getLogger(GuiceRouterFactory.class).info("guice-router: {}", reason);
                                return request -> CompletableFuture.completedFuture(
                                        new Route(Route.Kind.CONNECT, List.of(Chain.DIRECT), "guice-router", reason));
                            }

                            private static boolean visible(String className) {
                                try {
                                    Class.forName(className, false, GuiceRouterFactory.class.getClassLoader());
                                    return true;
                                } catch (ClassNotFoundException e) {
                                    return false;
                                }
                            }
                        }
                        """)
                .resource("reference.conf", """
                        socksgw.plugin-defaults.guice-router {
                          greeting = "hello from the plugin's reference.conf"
                        }
                        """)
                .provider("com.example.guice.GuicePlugin");
    }

    /** A plugin in package {@code pkg} offering one router named {@code routerName}, which connects directly. */
    static PluginJars routerPlugin(String pkg, String routerName) {
        return jar()
                .source(pkg + ".RouterPlugin", """
                        package %s;

                        import io.socksgw.api.*;
                        import io.socksgw.api.route.*;
                        import com.typesafe.config.Config;
                        import java.util.List;
                        import java.util.concurrent.CompletableFuture;

                        public final class RouterPlugin implements GatewayPlugin {
                            @Override public List<RouterFactory> routers() {
                                return List.of(new RouterFactory() {
                                    public String name() { return "%s"; }
                                    public Router create(Config config, PluginContext context) {
                                        return request -> CompletableFuture.completedFuture(Route.direct("%s"));
                                    }
                                });
                            }
                        }
                        """.formatted(pkg, routerName, routerName))
                .provider(pkg + ".RouterPlugin");
    }
}
