package com.posthog.flink.plugin.runtime;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.graalvm.polyglot.Value;

/**
 * Bytes between Java and JavaScript, and the text encodings of Node's {@code Buffer}.
 *
 * <p>Bytes cross as JavaScript {@code ArrayBuffer}s read and written eight at a time through the
 * polyglot buffer API: five times faster than one character per byte of a Latin-1 string, and no
 * host object is ever exposed to the plugin.
 *
 * <p>Encodings follow Node: UTF-8 with lone surrogates written as U+FFFD and invalid input read as
 * U+FFFD; lenient base64 (either alphabet, whitespace and other characters skipped, stops at {@code
 * =}); hex up to the first invalid pair; {@code latin1} and {@code ascii} keep the low byte of each
 * character when writing, {@code ascii} drops the high bit when reading.
 */
final class HostBytes {

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private HostBytes() {}

    /**
     * Bytes of a JavaScript {@code ArrayBuffer} (not a view: the caller passes {@code view.buffer},
     * {@code view.byteOffset}, {@code view.byteLength}).
     */
    static byte[] read(Value buffer, long offset, long length) {
        if (buffer == null || !buffer.hasBufferElements()) {
            throw new IllegalArgumentException("not an ArrayBuffer");
        }
        long size = buffer.getBufferSize();
        if (offset < 0 || length < 0 || offset + length > size || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bytes out of range");
        }
        byte[] bytes = new byte[(int) length];
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            LONGS.set(bytes, i, buffer.readBufferLong(ByteOrder.LITTLE_ENDIAN, offset + i));
        }
        for (; i < bytes.length; i++) {
            bytes[i] = buffer.readBufferByte(offset + i);
        }
        return bytes;
    }

    /**
     * A new JavaScript {@code ArrayBuffer} holding {@code bytes}.
     *
     * @param allocate the context's {@code (n) => new ArrayBuffer(n)}, taken before plugin code ran
     */
    static Value write(Value allocate, byte[] bytes) {
        Value buffer = allocate.execute(bytes.length);
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            buffer.writeBufferLong(ByteOrder.LITTLE_ENDIAN, i, (long) LONGS.get(bytes, i));
        }
        for (; i < bytes.length; i++) {
            buffer.writeBufferByte(i, bytes[i]);
        }
        return buffer;
    }

    /**
     * Text to bytes, as {@code Buffer.from(text, encoding)}.
     *
     * @param encoding normalised by the JavaScript side: {@code utf8}, {@code latin1}, {@code
     *     ascii}, {@code hex}, {@code base64}, {@code base64url} or {@code utf16le}
     */
    static byte[] encode(String text, String encoding) {
        return switch (encoding) {
            case "utf8" -> utf8(text);
            case "latin1", "ascii" -> {
                byte[] bytes = new byte[text.length()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) text.charAt(i);
                }
                yield bytes;
            }
            case "hex" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 2);
                for (int i = 0; i + 1 < text.length(); i += 2) {
                    int high = Character.digit(text.charAt(i), 16);
                    int low = Character.digit(text.charAt(i + 1), 16);
                    if (high < 0 || low < 0 || text.charAt(i) > 0x7f || text.charAt(i + 1) > 0x7f) {
                        break;
                    }
                    out.write(high << 4 | low);
                }
                yield out.toByteArray();
            }
            case "base64", "base64url" -> base64(text);
            case "utf16le" -> text.getBytes(StandardCharsets.UTF_16LE);
            default -> throw new IllegalArgumentException("Unknown encoding: " + encoding);
        };
    }

    /**
     * Bytes to text, as {@code buffer.toString(encoding)}; {@code utf8-fatal} throws on invalid
     * UTF-8 ({@code TextDecoder} with {@code fatal}).
     */
    static String decode(byte[] bytes, String encoding) throws CharacterCodingException {
        return switch (encoding) {
            case "utf8" -> utf8(bytes, false);
            case "utf8-fatal" -> utf8(bytes, true);
            case "latin1" -> new String(bytes, StandardCharsets.ISO_8859_1);
            case "ascii" -> {
                char[] chars = new char[bytes.length];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) (bytes[i] & 0x7f);
                }
                yield new String(chars);
            }
            case "hex" -> HexFormat.of().formatHex(bytes);
            case "base64" -> Base64.getEncoder().encodeToString(bytes);
            case "base64url" -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            case "utf16le" -> new String(bytes, 0, bytes.length & ~1, StandardCharsets.UTF_16LE);
            default -> throw new IllegalArgumentException("Unknown encoding: " + encoding);
        };
    }

    /**
     * UTF-8 read as the WHATWG Encoding standard (and Node) reads it: each maximal invalid subpart
     * becomes one U+FFFD, so an encoded surrogate ({@code ED A0 80}) gives three where the JDK's
     * decoder gives one.
     *
     * @throws CharacterCodingException for invalid input when {@code fatal}
     */
    static String utf8(byte[] bytes, boolean fatal) throws CharacterCodingException {
        String fast = new String(bytes, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast; // valid: both decoders agree
        }
        StringBuilder out = new StringBuilder(bytes.length);
        int codePoint = 0;
        int needed = 0;
        int seen = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            if (needed == 0) {
                i++;
                if (b <= 0x7f) {
                    out.append((char) b);
                } else if (b >= 0xc2 && b <= 0xdf) {
                    needed = 1;
                    codePoint = b & 0x1f;
                } else if (b >= 0xe0 && b <= 0xef) {
                    lower = b == 0xe0 ? 0xa0 : 0x80;
                    upper = b == 0xed ? 0x9f : 0xbf;
                    needed = 2;
                    codePoint = b & 0xf;
                } else if (b >= 0xf0 && b <= 0xf4) {
                    lower = b == 0xf0 ? 0x90 : 0x80;
                    upper = b == 0xf4 ? 0x8f : 0xbf;
                    needed = 3;
                    codePoint = b & 0x7;
                } else {
                    invalid(out, fatal);
                }
            } else if (b < lower || b > upper) {
                // The sequence ends before this byte, which starts afresh.
                codePoint = 0;
                needed = 0;
                seen = 0;
                lower = 0x80;
                upper = 0xbf;
                invalid(out, fatal);
            } else {
                i++;
                lower = 0x80;
                upper = 0xbf;
                codePoint = codePoint << 6 | (b & 0x3f);
                if (++seen == needed) {
                    out.appendCodePoint(codePoint);
                    codePoint = 0;
                    needed = 0;
                    seen = 0;
                }
            }
        }
        if (needed != 0) {
            invalid(out, fatal);
        }
        return out.toString();
    }

    /** {@link #utf8(byte[], boolean)}, invalid input read as U+FFFD. */
    static String utf8(byte[] bytes) {
        try {
            return utf8(bytes, false);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("only fatal decoding throws", e);
        }
    }

    private static void invalid(StringBuilder out, boolean fatal) throws CharacterCodingException {
        if (fatal) {
            throw new CharacterCodingException();
        }
        out.append('\uFFFD');
    }

    /** UTF-8 as Node writes it: a lone surrogate becomes U+FFFD, not {@code ?}. */
    static byte[] utf8(String text) {
        try {
            ByteBuffer encoded =
                    StandardCharsets.UTF_8
                            .newEncoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)
                            .replaceWith(REPLACEMENT)
                            .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("replacing encoder threw", e);
        }
    }

    /** Node's lenient base64: both alphabets, other characters skipped, {@code =} ends it. */
    private static byte[] base64(String text) {
        byte[] out = new byte[text.length() * 3 / 4 + 3];
        int length = 0;
        int bits = 0;
        int accumulated = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int value;
            if (c >= 'A' && c <= 'Z') {
                value = c - 'A';
            } else if (c >= 'a' && c <= 'z') {
                value = c - 'a' + 26;
            } else if (c >= '0' && c <= '9') {
                value = c - '0' + 52;
            } else if (c == '+' || c == '-') {
                value = 62;
            } else if (c == '/' || c == '_') {
                value = 63;
            } else if (c == '=') {
                break;
            } else {
                continue;
            }
            accumulated = accumulated << 6 | value;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[length++] = (byte) (accumulated >> bits);
                accumulated &= (1 << bits) - 1;
            }
        }
        byte[] result = new byte[length];
        System.arraycopy(out, 0, result, 0, length);
        return result;
    }
}
