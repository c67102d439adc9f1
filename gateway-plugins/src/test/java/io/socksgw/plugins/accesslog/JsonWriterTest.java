package io.socksgw.plugins.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void placesCommasAndColonsInNestedValues() {
        String json = new JsonWriter().beginObject()
                .field("a", 1)
                .name("b").beginArray().value("x").nullValue().value(true).beginObject().endObject().endArray()
                .name("c").beginObject().field("d", "e").endObject()
                .endObject().toString();

        assertThat(json).isEqualTo("{\"a\":1,\"b\":[\"x\",null,true,{}],\"c\":{\"d\":\"e\"}}");
    }

    @Test
    void escapesQuotesBackslashesAndEveryControlCharacter() {
        String hostile = "a\"b\\c\nd\re\tf\bg\fh\u0000i\u001bj\u007fk\u0085l\u2028m\u2029n";

        String json = new JsonWriter().value(hostile).toString();

        assertThat(json).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000i\\u001bj\\u007fk\\u0085l\\u2028m\\u2029n\"");
        assertThat(JsonReader.parse(json)).isEqualTo(hostile);
    }

    @Test
    void keepsOnlyTheLineBreaksItWritesItself() {
        for (char c = 0; c < 0x3000; c++) {
            String json = new JsonWriter().beginObject().field(String.valueOf(c), "x" + c + "y").endObject().toString();

            assertThat(json).doesNotContainPattern("[\\n\\r\\u0085\\u2028\\u2029]");
            assertThat(JsonReader.object(json)).isEqualTo(Map.of(String.valueOf(c), "x" + c + "y"));
        }
    }

    @Test
    void keepsSurrogatePairsAndEscapesLoneSurrogates() {
        assertThat(new JsonWriter().value("\uD83D\uDE00").toString()).isEqualTo("\"\uD83D\uDE00\"");
        assertThat(new JsonWriter().value("a\uD83Db").toString()).isEqualTo("\"a\\ud83db\"");
        assertThat(new JsonWriter().value("\uDE00").toString()).isEqualTo("\"\\ude00\"");
    }

    @Test
    void writesEmptyContainers() {
        assertThat(new JsonWriter().beginObject().name("l").beginArray().endArray().endObject().toString())
                .isEqualTo("{\"l\":[]}");
        assertThat(JsonReader.object("{\"l\":[]}")).isEqualTo(Map.of("l", List.of()));
    }
}
