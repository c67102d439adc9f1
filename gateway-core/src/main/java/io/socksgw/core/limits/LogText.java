package io.socksgw.core.limits;

/** Client-supplied text (user names, domains) made safe for one log line. */
public final class LogText {

    private LogText() {}

    /**
     * {@code text} with control characters replaced by '?' (no forged lines, no terminal escapes),
     * cut at {@code max} chars.
     */
    public static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 3);
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > max ? out.append("...").toString() : out.toString();
    }
}
