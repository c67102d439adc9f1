package io.socksgw.plugins.acl;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.access.AccessPolicyFactory;
import java.util.List;

/** Registers the {@code acl} access policy with the gateway. */
public final class AclPlugin implements GatewayPlugin {

    @Override
    public List<AccessPolicyFactory> accessPolicies() {
        return List.of(new AclPolicyFactory());
    }
}
