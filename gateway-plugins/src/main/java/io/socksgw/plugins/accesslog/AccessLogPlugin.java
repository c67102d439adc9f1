package io.socksgw.plugins.accesslog;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.event.SessionListenerFactory;
import java.util.List;

/** Registers the {@code access-log} session listener with the gateway. */
public final class AccessLogPlugin implements GatewayPlugin {

    @Override
    public List<SessionListenerFactory> sessionListeners() {
        return List.of(new AccessLogListenerFactory());
    }
}
