package io.socksgw.plugins.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValueEscaperTest {

    @Test
    void leavesPlainValuesAlone() {
        assertThat(LogValueEscaper.escape("alice")).isEqualTo("alice");
        assertThat(LogValueEscaper.escape("ünïcode.example:443")).isEqualTo("ünïcode.example:443");
    }

    @Test
    void quotesValuesWithSpacesOrEqualsSigns() {
        assertThat(LogValueEscaper.escape("client closed")).isEqualTo("\"client closed\"");
        assertThat(LogValueEscaper.escape("a=b")).isEqualTo("\"a=b\"");
        assertThat(LogValueEscaper.escape("no\u00a0break")).isEqualTo("\"no\u00a0break\"");
    }

    @Test
    void quotesEmptyValuesSoTheFieldStaysVisible() {
        assertThat(LogValueEscaper.escape("")).isEqualTo("\"\"");
    }

    @Test
    void escapesBackslashesAndQuotes() {
        assertThat(LogValueEscaper.escape("a\\b")).isEqualTo("a\\\\b");
        assertThat(LogValueEscaper.escape("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    }

    @Test
    void rendersControlCharactersVisibly() {
        assertThat(LogValueEscaper.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
        assertThat(LogValueEscaper.escape("\u0000\u001b\u007f\u0085")).isEqualTo("\\x00\\x1b\\x7f\\x85");
        assertThat(LogValueEscaper.escape("a\u2028b\u2029")).isEqualTo("a\\u2028b\\u2029");
    }
}
