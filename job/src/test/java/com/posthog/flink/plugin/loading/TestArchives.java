package com.posthog.flink.plugin.loading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds plugin archives for tests: zips with java.util.zip and gzipped tars with a small ustar
 * writer. Entries are written in the map's order (use a LinkedHashMap); a name ending in "/" is a
 * folder.
 */
final class TestArchives {

    private TestArchives() {}

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] tgz(Map<String, String> entries) throws IOException {
        return gzip(tar(entries, false));
    }

    /** A tarball as GitHub serves them: a pax global header with the commit comes first. */
    static byte[] githubTgz(Map<String, String> entries) throws IOException {
        return gzip(tar(entries, true));
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] tar(Map<String, String> entries, boolean globalHeader)
            throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        if (globalHeader) {
            writeEntry(tar, "pax_global_header", 'g', pax("comment", "0123456789abcdef"));
        }
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String name = entry.getKey();
            boolean directory = name.endsWith("/");
            byte[] data = entry.getValue().getBytes(StandardCharsets.UTF_8);
            if (name.length() > 100) {
                writeEntry(tar, "PaxHeader", 'x', pax("path", name));
                name = name.substring(0, 100);
            }
            writeEntry(tar, name, directory ? '5' : '0', data);
        }
        tar.write(new byte[1024]);
        return tar.toByteArray();
    }

    private static byte[] pax(String key, String value) {
        String record = " " + key + "=" + value + "\n";
        int length = record.length();
        length += Integer.toString(length + Integer.toString(length).length()).length();
        return (length + record).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeEntry(ByteArrayOutputStream tar, String name, char type, byte[] data)
            throws IOException {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 1_600_000_000L));
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        tar.write(header);
        tar.write(data);
        tar.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
