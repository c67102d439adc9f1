package io.socksgw.plugins.allowall;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.access.AccessPolicyFactory;
import java.util.List;

/** Registers the {@code allow-all} access policy with the gateway. */
public final class AllowAllPlugin implements GatewayPlugin {

    @Override
    public List<AccessPolicyFactory> accessPolicies() {
        return List.of(new AllowAllPolicyFactory());
    }
}
