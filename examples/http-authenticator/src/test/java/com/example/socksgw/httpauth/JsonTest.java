package com.example.socksgw.httpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesAFlatObjectWithEveryStringEscaped() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", "a\"b\\c");
        fields.put("password", "line\nbreak\t\u0001\u00e9");

        assertThat(Json.object(fields)).isEqualTo("{\"username\":\"a\\\"b\\\\c\",\"password\":\"line\\nbreak\\t\\u0001\u00e9\"}");
        assertThat(Json.parse(Json.object(fields))).isEqualTo(fields);
    }

    @Test
    void readsObjectsArraysStringsNumbersBooleansAndNull() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("allow", true);
        expected.put("groups", List.of("a", "b\u00e9"));
        expected.put("n", -150.0);
        expected.put("x", null);
        expected.put("o", Map.of());

        assertThat(Json.parse(" {\"allow\" : true, \"groups\": [\"a\", \"b\\u00e9\"], \"n\": -1.5e2, \"x\": null, \"o\": {}} "))
                .isEqualTo(expected);
        assertThat(Json.parse("[]")).isEqualTo(List.of());
        assertThat(Json.parse("false")).isEqualTo(false);
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String text : Arrays.asList("", "{", "{\"a\" 1}", "[1,]", "\"open", "tru", "{} {}", "{'a': 1}", "\"\\q\"")) {
            assertThatThrownBy(() -> Json.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not JSON: ");
        }
    }
}
