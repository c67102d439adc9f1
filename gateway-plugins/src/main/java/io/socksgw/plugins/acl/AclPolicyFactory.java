package io.socksgw.plugins.acl;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;

/**
 * Creates the {@code acl} access policy from a block like
 *
 * <pre>
 * rules = [
 *   { name = admins-anywhere, action = allow, match { group = [admins] } }
 *   { name = no-internal, action = deny, match { destination = ["10.0.0.0/8"], port = ["1-1023"] } }
 * ]
 * default = abstain                                    # allow | deny | abstain
 * special-destinations = deny-unless-loopback-client   # or allow
 * </pre>
 *
 * <p>The whole block is validated before the policy exists (see {@link AclConfigReader}), so a bad
 * rule stops start-up, or a reload, with its path.
 */
public final class AclPolicyFactory implements AccessPolicyFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "acl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AccessPolicy create(Config config, PluginContext context) {
        AclConfig acl = new AclConfigReader(context.instanceName()).read(config);
        return new RuleBasedAccessPolicy(acl);
    }
}
