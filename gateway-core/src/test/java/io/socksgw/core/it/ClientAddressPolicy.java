package io.socksgw.core.it;

import com.typesafe.config.Config;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Access policy {@code test-deny-clients}: denies requests from the client addresses or client ports
 * the test puts in {@link #deniedAddresses} / {@link #deniedPorts} (rule "deny-clients"), abstains on
 * the rest, and keeps every {@link ClientInfo} it was asked about.
 */
final class ClientAddressPolicy implements GatewayPlugin {

    static final String CONFIG = "access.policies = [ { plugin = test-deny-clients }, { plugin = test-allow } ]\n";

    final Set<InetAddress> deniedAddresses = ConcurrentHashMap.newKeySet();
    final Set<Integer> deniedPorts = ConcurrentHashMap.newKeySet();
    final List<ClientInfo> seen = new CopyOnWriteArrayList<>();

    @Override
    public List<AccessPolicyFactory> accessPolicies() {
        return List.of(new AccessPolicyFactory() {
            @Override
            public String name() {
                return "test-deny-clients";
            }

            @Override
            public AccessPolicy create(Config config, PluginContext context) {
                return new AccessPolicy() {
                    @Override
                    public Set<AccessPhase> phases() {
                        return Set.of(AccessPhase.REQUEST);
                    }

                    @Override
                    public CompletableFuture<Decision> check(AccessRequest request) {
                        ClientInfo client = request.client();
                        seen.add(client);
                        boolean denied = deniedAddresses.contains(client.remoteAddress().getAddress())
                                || deniedPorts.contains(client.remoteAddress().getPort());
                        return CompletableFuture.completedFuture(denied
                                ? Decision.deny("deny-clients", "client " + client.remoteAddress() + " denied for the test")
                                : Decision.abstain());
                    }
                };
            }
        });
    }
}
