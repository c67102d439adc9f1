package io.socksgw.plugins.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
 *   <li>{@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.0.2.1}, {@code ::1}: an IP network or address.
 * </ul>
 *
 * <p>Address patterns match only destinations the client gave as an IP address: the router runs
 * before DNS, so a domain name never matches a network here, even one that would resolve into it.
 * (A name that is itself an IP literal counts as that address; see {@link MatchInput#destinationAddress}.)
 * To hold resolved addresses to a policy, use an access policy, which sees them after resolution.
 */
final class DestinationMatcher implements RequestMatcher {

    private final Set<String> exactNames;
    /** For {@code *.x}: ".x". */
    private final String[] subdomainSuffixes;
    /** For {@code .x}: "x" (matched exactly) and ".x" (matched as a suffix), at the same index. */
    private final String[] domains;
    private final String[] dottedDomains;
    private final Cidr[] networks;

    private DestinationMatcher(Set<String> exactNames, List<String> subdomainSuffixes, List<String> domains,
            List<Cidr> networks) {
        this.exactNames = Set.copyOf(exactNames);
        this.subdomainSuffixes = subdomainSuffixes.toArray(new String[0]);
        this.domains = domains.toArray(new String[0]);
        this.dottedDomains = domains.stream().map(d -> "." + d).toArray(String[]::new);
        this.networks = networks.toArray(new Cidr[0]);
    }

    /**
     * Builds the matcher from the configured patterns.
     *
     * @throws IllegalArgumentException naming the first pattern that is not one of the forms above
     */
    static DestinationMatcher of(List<String> patterns) {
        Set<String> exact = new HashSet<>();
        List<String> subdomains = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<Cidr> networks = new ArrayList<>();
        for (String raw : patterns) {
            String pattern = raw.strip().toLowerCase(Locale.ROOT);
            if (pattern.indexOf('/') >= 0 || IpLiteral.parse(pattern) != null) {
                networks.add(Cidr.parse(pattern));
            } else if (pattern.startsWith("*.")) {
                subdomains.add("." + validName(pattern.substring(2), raw));
            } else if (pattern.startsWith(".")) {
                domains.add(validName(pattern.substring(1), raw));
            } else {
                exact.add(validName(pattern, raw));
            }
        }
        return new DestinationMatcher(exact, subdomains, domains, networks);
    }

    @Override
    public boolean matches(MatchInput input) {
        if (networks.length > 0) {
            byte[] address = input.destinationAddress();
            if (address != null) {
                for (Cidr network : networks) {
                    if (network.contains(address)) {
                        return true;
                    }
                }
            }
        }
        if (exactNames.isEmpty() && subdomainSuffixes.length == 0 && domains.length == 0) {
            return false;
        }
        String host = input.host();
        if (exactNames.contains(host)) {
            return true;
        }
        for (String suffix : subdomainSuffixes) {
            if (host.length() > suffix.length() && host.endsWith(suffix)) {
                return true;
            }
        }
        for (int i = 0; i < domains.length; i++) {
            if (host.equals(domains[i]) || host.endsWith(dottedDomains[i])) {
                return true;
            }
        }
        return false;
    }

    /** A host name or suffix without wildcards or blanks, a trailing dot dropped like the input's. */
    private static String validName(String name, String raw) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (trimmed.isEmpty() || trimmed.startsWith(".") || trimmed.contains("..") || trimmed.indexOf('*') >= 0
                || containsBlank(trimmed)) {
            throw new IllegalArgumentException("expected a host name (exact.example.com), a wildcard"
                    + " (*.example.com: subdomains only), a domain (.example.com: itself and its subdomains),"
                    + " an IP address or a network (10.0.0.0/8), got '" + raw + "'");
        }
        return trimmed;
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
