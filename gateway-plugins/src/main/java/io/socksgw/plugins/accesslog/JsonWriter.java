package io.socksgw.plugins.accesslog;

/**
 * Writes one JSON value (RFC 8259) on one line, with every string escaped: quotes, backslashes and
 * all control characters (C0, DEL, C1), the Unicode line and paragraph separators and unpaired
 * surrogates become escapes, so no value can break the line or the document, whatever a client
 * chose as its user name or destination.
 *
 * <p>Callers nest {@code begin}/{@code end} calls correctly and name every member of an object; the
 * writer places the commas.
 */
final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(512);
    /** Whether the next value or name is the first of its object or array (no comma before it). */
    private boolean first = true;

    JsonWriter beginObject() {
        separate();
        out.append('{');
        first = true;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        first = false;
        return this;
    }

    JsonWriter beginArray() {
        separate();
        out.append('[');
        first = true;
        return this;
    }

    JsonWriter endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** The name of the next object member. */
    JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        first = true; // the value follows the colon, not a comma
        return this;
    }

    JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** Shorthand for {@code name(name).value(value)}. */
    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    private void separate() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void string(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c); // unpaired: UTF-8 cannot carry it, the escape keeps it visible
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicodeEscape(char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
