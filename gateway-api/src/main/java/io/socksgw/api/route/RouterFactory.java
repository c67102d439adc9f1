package io.socksgw.api.route;

import io.socksgw.api.PluginFactory;

/** Creates {@link Router}s; register it through {@link io.socksgw.api.GatewayPlugin#routers()}. */
public interface RouterFactory extends PluginFactory<Router> {}
