package io.socksgw.plugins.match;

import java.util.List;

/**
 * {@code client = ["192.168.0.0/16", "::1/128"]}: the client's address (after PROXY protocol, when a
 * trusted load balancer supplied one) lies in one of the networks. An IPv4-mapped IPv6 client
 * address ({@code ::ffff:192.168.1.5}) is matched as the IPv4 address it carries.
 */
final class ClientMatcher implements RequestMatcher {

    private final Cidr[] networks;

    private ClientMatcher(Cidr[] networks) {
        this.networks = networks;
    }

    /**
     * Builds the matcher from networks or single addresses as written.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    static ClientMatcher of(List<String> entries) {
        Cidr[] networks = new Cidr[entries.size()];
        for (int i = 0; i < networks.length; i++) {
            networks[i] = Cidr.parse(entries.get(i).strip());
        }
        return new ClientMatcher(networks);
    }

    @Override
    public boolean matches(MatchInput input) {
        return matching(input) != null;
    }

    @Override
    public String explain(MatchInput input) {
        Cidr network = matching(input);
        return network == null || network.isSingleAddress()
                ? "client " + input.describeClient()
                : "client " + input.describeClient() + " is in " + network;
    }

    private Cidr matching(MatchInput input) {
        byte[] address = input.clientAddress();
        if (address == null) {
            return null;
        }
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return network;
            }
        }
        return null;
    }
}
