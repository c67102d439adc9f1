package io.socksgw.api.event;

import io.socksgw.api.PluginFactory;

/** Creates {@link SessionListener}s; register it through {@link io.socksgw.api.GatewayPlugin#sessionListeners()}. */
public interface SessionListenerFactory extends PluginFactory<SessionListener> {}
