package io.socksgw.plugins.accesslog;

/**
 * Makes a value safe to put after {@code key=} in a space-separated log line: whatever a client
 * chose as its user name or destination, it cannot end the line or start a new field.
 *
 * <p>Backslash and double quote are escaped with a backslash; CR, LF and tab become {@code \r},
 * {@code \n}, {@code \t}; other control characters (C0, DEL and C1) become {@code \xNN}; the Unicode
 * line and paragraph separators, which some viewers break lines at, become {@code \u2028} and
 * {@code \u2029}. A value that is empty or holds a space, {@code =} or a quote is then wrapped in
 * double quotes.
 */
final class LogValueEscaper {

    private LogValueEscaper() {}

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> {
                    out.append("\\\"");
                    quote = true;
                }
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        if (c == '=' || Character.isSpaceChar(c)) {
                            quote = true;
                        }
                        out.append(c);
                    }
                }
            }
        }
        return quote ? "\"" + out + "\"" : out.toString();
    }
}
