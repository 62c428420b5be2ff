package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocaleCompareTest {

    @Test
    void sortsLikeNodeLocaleCompare() {
        // The expected order is what Node 20 (ICU) gives for keys.sort((a, b) =>
        // a.localeCompare(b)).
        List<String> expected =
                List.of(
                        "attr__~",
                        "attr__$x",
                        "attr__1",
                        "attr__a",
                        "attr__A",
                        "attr__ä",
                        "attr__aria",
                        "attr__Aria",
                        "attr__aria-label",
                        "attr__b",
                        "attr__class",
                        "attr__data_attr",
                        "attr__data-attr",
                        "attr__data-Attr",
                        "attr__dataAttr",
                        "attr__href",
                        "attr__id",
                        "attr__x_1",
                        "attr__x-1",
                        "attr__x:1",
                        "attr__x.1",
                        "attr__x1",
                        "attr_id",
                        "href",
                        "nth-child",
                        "nth-of-type",
                        "text");
        List<String> keys = new ArrayList<>(expected);
        java.util.Collections.reverse(keys);

        keys.sort(LocaleCompare.ORDER);

        assertThat(keys).containsExactlyElementsOf(expected);
    }

    @Test
    void asciiPunctuationDigitsAndLetters() {
        String order =
                " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ";
        List<String> characters = new ArrayList<>();
        for (int i = order.length() - 1; i >= 0; i--) {
            characters.add(String.valueOf(order.charAt(i)));
        }

        characters.sort(LocaleCompare.ORDER);

        assertThat(String.join("", characters)).isEqualTo(order);
    }

    @Test
    void caseOnlyBreaksTiesAndControlCharactersAreIgnored() {
        List<String> words = new ArrayList<>(List.of("AB", "Ab", "aB", "ab", "a-b", "a_b"));
        words.sort(LocaleCompare.ORDER);
        assertThat(words).containsExactly("a_b", "a-b", "ab", "aB", "Ab", "AB");

        assertThat(LocaleCompare.compare("aB", "Ab")).isNegative();
        assertThat(LocaleCompare.compare("a", "ab")).isNegative();
        assertThat(LocaleCompare.compare("a\u0001b", "ab")).isZero();
        assertThat(LocaleCompare.compare("a\tb", "ab")).isNegative();
        assertThat(LocaleCompare.compare("a\u0301", "\u00e1")).isZero();
    }
}
