package com.posthog.flink.ingestion.rules;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * JavaScript's {@code a.localeCompare(b)} as Node (ICU, root/en collation) answers it, which the
 * original uses to order the attributes of an {@code elements_chain} element.
 *
 * <p>It is not code-unit order: punctuation sorts before digits and letters ({@code _ < - < , < ; <
 * : < ! < ? < . …}), case matters only when the strings are otherwise equal (lower case first) and
 * control characters are ignored. Java's {@link java.text.Collator} differs (it ignores the
 * hyphen), so the order is emulated here: exactly for ASCII, which is what attribute names are; for
 * other characters approximately (accents after the bare letter, other letters after the ASCII
 * ones, symbols before the digits).
 */
final class LocaleCompare {

    /** The printable ASCII characters in ICU's root order (from Node 20, ICU 78). */
    private static final String ASCII_ORDER =
            " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789"
                    + "aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ";

    private static final int[] ASCII_PRIMARY = new int[128];

    private static final int WHITESPACE = 100;
    private static final int ASCII = 1_000;

    /** Between {@code $} and {@code 0}, like ICU's symbols and emoji. */
    private static final int OTHER_SYMBOL = ASCII + ASCII_ORDER.indexOf('0') * 4 + 2;

    private static final int OTHER_LETTER = 10_000;

    static {
        for (int i = 0; i < ASCII_PRIMARY.length; i++) {
            ASCII_PRIMARY[i] = -1;
        }
        // Tab, line feed, vertical tab, form feed and carriage return sort before the space.
        for (int c = 0x09; c <= 0x0D; c++) {
            ASCII_PRIMARY[c] = WHITESPACE + c;
        }
        int weight = ASCII;
        for (int i = 0; i < ASCII_ORDER.length(); i++) {
            char c = ASCII_ORDER.charAt(i);
            // A letter and its capital share a primary weight; case is a tertiary difference.
            if (Character.isUpperCase(c)) {
                ASCII_PRIMARY[c] = ASCII_PRIMARY[Character.toLowerCase(c)];
            } else {
                weight += 4;
                ASCII_PRIMARY[c] = weight;
            }
        }
    }

    /** The comparator form, for sorting. */
    static final Comparator<String> ORDER = LocaleCompare::compare;

    private LocaleCompare() {}

    static int compare(String a, String b) {
        Keys left = keys(a);
        Keys right = keys(b);
        int result = compareLists(left.primary, right.primary);
        if (result == 0) {
            result = compareLists(left.secondary, right.secondary);
        }
        if (result == 0) {
            result = compareLists(left.tertiary, right.tertiary);
        }
        return Integer.signum(result);
    }

    private record Keys(List<Integer> primary, List<Integer> secondary, List<Integer> tertiary) {}

    private static Keys keys(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        List<Integer> primary = new ArrayList<>();
        List<Integer> secondary = new ArrayList<>();
        List<Integer> tertiary = new ArrayList<>();
        decomposed
                .codePoints()
                .forEach(
                        cp -> {
                            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                                // An accent weighs on the letter before it, at the second level.
                                if (!secondary.isEmpty()) {
                                    int last = secondary.size() - 1;
                                    secondary.set(last, secondary.get(last) * 31 + cp);
                                }
                                return;
                            }
                            int weight = primary(cp);
                            if (weight < 0) {
                                return;
                            }
                            primary.add(weight);
                            secondary.add(0);
                            tertiary.add(Character.isUpperCase(cp) ? 1 : 0);
                        });
        return new Keys(primary, secondary, tertiary);
    }

    private static int primary(int cp) {
        if (cp < 128) {
            return ASCII_PRIMARY[cp];
        }
        if (Character.isISOControl(cp)) {
            return -1;
        }
        if (Character.isLetter(cp)) {
            return OTHER_LETTER + Character.toLowerCase(cp);
        }
        if (Character.isDigit(cp)) {
            return ASCII_PRIMARY['0'] + Character.digit(cp, 10) * 4;
        }
        return OTHER_SYMBOL;
    }

    private static int compareLists(List<Integer> a, List<Integer> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
