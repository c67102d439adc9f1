package io.socksgw.plugins.match;

import java.util.List;

/** {@code port = ["443", "8000-8100"]}: the destination port is one of the ports or in one of the ranges. */
final class PortMatcher implements RequestMatcher {

    private static final String EXPECTED = "expected a port (443) or a range (8000-8100) within 0-65535";

    private final int[] lows;
    private final int[] highs;

    private PortMatcher(int[] lows, int[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    /**
     * Builds the matcher from ports and ranges as written.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    static PortMatcher of(List<String> entries) {
        int[] lows = new int[entries.size()];
        int[] highs = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            int dash = entry.indexOf('-', 1);
            lows[i] = port(dash < 0 ? entry : entry.substring(0, dash), entries.get(i));
            highs[i] = dash < 0 ? lows[i] : port(entry.substring(dash + 1), entries.get(i));
            if (highs[i] < lows[i]) {
                throw new IllegalArgumentException(EXPECTED + ", low end first; got '" + entries.get(i) + "'");
            }
        }
        return new PortMatcher(lows, highs);
    }

    @Override
    public boolean matches(MatchInput input) {
        return matching(input.port()) >= 0;
    }

    @Override
    public String explain(MatchInput input) {
        int port = input.port();
        int i = matching(port);
        return i < 0 || lows[i] == highs[i] ? "port " + port : "port " + port + " is in " + lows[i] + "-" + highs[i];
    }

    /** The index of the first port or range holding {@code port}, or -1. */
    private int matching(int port) {
        for (int i = 0; i < lows.length; i++) {
            if (port >= lows[i] && port <= highs[i]) {
                return i;
            }
        }
        return -1;
    }

    private static int port(String digits, String entry) {
        String text = digits.strip();
        if (text.isEmpty() || text.length() > 5) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + entry + "'");
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(EXPECTED + ", got '" + entry + "'");
            }
            value = value * 10 + (c - '0');
        }
        if (value > 65535) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + entry + "'");
        }
        return value;
    }
}
