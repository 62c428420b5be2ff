package com.posthog.flink.plugin.loading;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a plugin archive, a zip or a gzipped tar, into its entries in archive order. The order
 * matters: the original takes the plugin's root folder from the first entry.
 *
 * <p>The tar reader is hand-written (512-byte blocks; ustar prefixes, GNU long names and pax {@code
 * path} records) because the job carries no archive library; pax global headers, such as the one
 * GitHub puts first in its tarballs, are skipped as tar-stream skipped them.
 */
final class Archives {

    /** One entry; {@code contents} is empty for folders and links. */
    record Entry(String name, boolean directory, byte[] contents) {}

    private static final int BLOCK = 512;

    private Archives() {}

    static List<Entry> readZip(byte[] archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.add(new Entry(entry.getName(), entry.isDirectory(), zip.readAllBytes()));
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("not a zip archive");
        }
        return entries;
    }

    static List<Entry> readTgz(byte[] archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DataInputStream tar =
                new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            String nextName = null;
            byte[] header = new byte[BLOCK];
            while (readBlock(tar, header)) {
                if (isZeros(header)) {
                    break;
                }
                checkSum(header);
                char type = (char) header[156];
                byte[] data = readData(tar, size(header));
                switch (type) {
                    case 'L' -> nextName = cString(data, 0, data.length);
                    case 'x' -> nextName = paxPath(data, nextName);
                    case 'g', 'K' -> {
                        // Global pax headers and long link names say nothing about the files.
                    }
                    default -> {
                        String name = nextName != null ? nextName : headerName(header);
                        nextName = null;
                        boolean directory = type == '5' || name.endsWith("/");
                        boolean file = type == '0' || type == '\0' || type == '7';
                        entries.add(new Entry(name, directory, file ? data : new byte[0]));
                    }
                }
            }
        }
        return entries;
    }

    private static boolean readBlock(DataInputStream in, byte[] block) throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        block[0] = (byte) first;
        in.readFully(block, 1, BLOCK - 1);
        return true;
    }

    private static byte[] readData(DataInputStream in, long size) throws IOException {
        if (size > Integer.MAX_VALUE - BLOCK) {
            throw new IOException("tar entry too large");
        }
        byte[] data = new byte[(int) size];
        in.readFully(data);
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        in.skipNBytes(padding);
        return data;
    }

    private static boolean isZeros(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Garbage after a valid gzip stream must fail, as tar-stream's "Invalid tar header" did. */
    private static void checkSum(byte[] header) throws IOException {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        }
        if (sum != octal(header, 148, 8)) {
            throw new IOException("invalid tar header");
        }
    }

    private static long size(byte[] header) throws IOException {
        if ((header[124] & 0x80) != 0) {
            // Base-256 (GNU) for sizes that do not fit 11 octal digits.
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (header[i] & 0xff);
            }
            return size;
        }
        return octal(header, 124, 12);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String text = cString(header, offset, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("invalid tar header");
        }
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax header ({@code "<length> path=<value>\n"}), if any. */
    private static String paxPath(byte[] data, String current) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return current;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
