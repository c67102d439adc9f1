package io.socksgw.api.access;

import io.socksgw.api.PluginFactory;

/** Creates {@link AccessPolicy access policies}; register it through {@link io.socksgw.api.GatewayPlugin#accessPolicies()}. */
public interface AccessPolicyFactory extends PluginFactory<AccessPolicy> {}
