package io.socksgw.plugins.match;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code destination = [...]}: the destination host against a list of patterns, any of which may
 * match.
 *
 * <ul>
 *   <li>{@code exact.example.com}: that name, ignoring case and a trailing dot;
 *   <li>{@code *.corp.example}: any subdomain of {@code corp.example}, but not {@code corp.example}
 *       itself;
 *   <li>{@code .internal.example}: {@code internal.example} and any subdomain of it;
 *   <li>{@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.0.2.1}, {@code ::1}: an IP network or address;
 *   <li>{@code *}: any destination, name or address, where the reader allows it (see
 *       {@link MatchReader#allowingAnyDestination}).
 * </ul>
 *
 * <p>Hosts are compared in their {@link NormalizedHost normalized} form: name patterns match only
 * names, address patterns only addresses, and a name that is an IP literal in any spelling
 * ({@code 127.1}, {@code 0x7f000001}) counts as that address. Which destination a matcher sees, the
 * name the client gave or the address it resolved to, is up to the plugin that builds the
 * {@link MatchInput}.
 */
final class DestinationMatcher implements RequestMatcher {

    private final Set<String> exactNames;
    /** For {@code *.x}: ".x". */
    private final String[] subdomainSuffixes;
    /** For {@code .x}: "x" (matched exactly) and ".x" (matched as a suffix), at the same index. */
    private final String[] domains;
    private final String[] dottedDomains;
    private final Cidr[] networks;
    private final boolean any;

    private DestinationMatcher(Set<String> exactNames, List<String> subdomainSuffixes, List<String> domains,
            List<Cidr> networks, boolean any) {
        this.any = any;
        this.exactNames = Set.copyOf(exactNames);
        this.subdomainSuffixes = subdomainSuffixes.toArray(new String[0]);
        this.domains = domains.toArray(new String[0]);
        this.dottedDomains = domains.stream().map(d -> "." + d).toArray(String[]::new);
        this.networks = networks.toArray(new Cidr[0]);
    }

    /**
     * Builds the matcher from the configured patterns.
     *
     * @param anyAllowed whether {@code *} (any destination) is accepted
     * @throws IllegalArgumentException naming the first pattern that is not one of the forms above
     */
    static DestinationMatcher of(List<String> patterns, boolean anyAllowed) {
        Set<String> exact = new HashSet<>();
        List<String> subdomains = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<Cidr> networks = new ArrayList<>();
        boolean any = false;
        for (String raw : patterns) {
            String pattern = raw.strip();
            if (anyAllowed && pattern.equals("*")) {
                any = true;
            } else if (pattern.indexOf('/') >= 0 || IpLiteral.parse(pattern) != null) {
                networks.add(Cidr.parse(pattern));
            } else if (pattern.startsWith("*.")) {
                subdomains.add("." + validName(pattern.substring(2), raw, anyAllowed));
            } else if (pattern.startsWith(".")) {
                domains.add(validName(pattern.substring(1), raw, anyAllowed));
            } else {
                exact.add(validName(pattern, raw, anyAllowed));
            }
        }
        return new DestinationMatcher(exact, subdomains, domains, networks, any);
    }

    @Override
    public boolean matches(MatchInput input) {
        return explanation(input) != null;
    }

    @Override
    public String explain(MatchInput input) {
        String why = explanation(input);
        return why == null ? "destination " + input.describeDestination() : why;
    }

    /** How the destination matches, or null if it does not. */
    private String explanation(MatchInput input) {
        if (any) {
            return "destination " + input.describeDestination() + " matches *";
        }
        byte[] address = input.destinationAddress();
        if (address != null) {
            for (Cidr network : networks) {
                if (network.contains(address)) {
                    return network.isSingleAddress()
                            ? "destination " + input.describeDestination()
                            : "destination " + input.describeDestination() + " is in " + network;
                }
            }
            return null;
        }
        String host = input.destinationName();
        if (exactNames.contains(host)) {
            return "destination " + input.describeDestination();
        }
        for (String suffix : subdomainSuffixes) {
            if (host.length() > suffix.length() && host.endsWith(suffix)) {
                return "destination " + input.describeDestination() + " matches *" + suffix;
            }
        }
        for (int i = 0; i < domains.length; i++) {
            if (host.equals(domains[i]) || host.endsWith(dottedDomains[i])) {
                return "destination " + input.describeDestination() + " is in " + dottedDomains[i];
            }
        }
        return null;
    }

    /**
     * A host name or suffix without wildcards or blanks, normalized like the hosts it is compared with
     * (trailing dot dropped, case-folded, non-ASCII mapped by IDNA).
     */
    private static String validName(String name, String raw, boolean anyAllowed) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (trimmed.isEmpty() || trimmed.startsWith(".") || trimmed.contains("..") || trimmed.indexOf('*') >= 0
                || containsBlank(trimmed)) {
            throw new IllegalArgumentException("expected a host name (exact.example.com), a wildcard"
                    + " (*.example.com: subdomains only), a domain (.example.com: itself and its subdomains),"
                    + " an IP address or a network (10.0.0.0/8)" + (anyAllowed ? ", or * for any destination" : "")
                    + ", got '" + raw + "'");
        }
        NormalizedHost normalized = NormalizedHost.ofName(trimmed);
        if (normalized.isAddress()) {
            // 127.1 or 0x7f000001 would never match a name; say what it is instead of silently never matching.
            throw new IllegalArgumentException("'" + raw + "' is an IP address in an unusual spelling; write it as "
                    + normalized.text() + " (or a network such as " + normalized.text() + "/32)");
        }
        return normalized.name();
    }

    private static boolean containsBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) || Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
