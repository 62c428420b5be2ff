package com.posthog.flink.plugin.geoip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Reader;
import com.posthog.flink.event.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code meta.geoip.locate(ip)} (spec §2.4, §6.5): a MaxMind City database opened once, and the
 * record of an IP in the shape the original's Node reader ({@code @maxmind/geoip2-node} 3.x) gave
 * plugins, because plugins read it by those names ({@code country.isoCode}, {@code
 * location.timeZone}, {@code subdivisions.entries()}).
 *
 * <p>MaxMind's Java {@code CityResponse} would not do: its keys are snake_case and it fills records
 * the database lacks, which changes what plugins write (a {@code postal} record that is there but
 * empty). So the raw record is read and shaped as Node's {@code City} model did: the known records
 * only, keys without {@code -} turned to camelCase ({@code names.zh-CN} is kept), records the
 * database lacks left out, {@code traits.is*} flags and {@code registeredCountry.isInEuropeanUnion}
 * defaulting to {@code false}, and {@code traits.ipAddress}/{@code traits.network} added. Keys
 * within a record are sorted, which is the order MaxMind's writers store them in and so the order
 * Node read them in.
 *
 * <p>Thread-safe: the reader is, and nothing else is shared.
 */
public final class GeoIp implements AutoCloseable {

    /** Node's {@code net.isIP} for IPv4: four decimal bytes, no leading zeros. */
    private static final Pattern IPV4 =
            Pattern.compile(
                    "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)");

    /** What an IPv6 literal is made of; anything else is never handed to the resolver. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Records of Node's City model, in its order, as named in the database. */
    private static final List<String> RECORDS =
            List.of(
                    "continent",
                    "country",
                    "maxmind",
                    "registered_country",
                    "represented_country",
                    "traits",
                    "city",
                    "location",
                    "postal",
                    "subdivisions");

    /** The flags Node's model sets to {@code false} when the database has none. */
    private static final List<String> TRAIT_FLAGS =
            List.of(
                    "isAnonymous",
                    "isAnonymousProxy",
                    "isAnonymousVpn",
                    "isHostingProvider",
                    "isLegitimateProxy",
                    "isPublicProxy",
                    "isResidentialProxy",
                    "isSatelliteProvider",
                    "isTorExitNode");

    private final Reader reader;

    private GeoIp(Reader reader) {
        this.reader = reader;
    }

    /**
     * Opens (memory-maps) an MMDB file.
     *
     * @throws IOException if it cannot be read or is not a City database (Node's reader would have
     *     refused every lookup in it)
     */
    public static GeoIp open(Path mmdb) throws IOException {
        Reader reader = new Reader(mmdb.toFile());
        String type = reader.getMetadata().getDatabaseType();
        if (type == null || !type.contains("City")) {
            reader.close();
            throw new IOException(mmdb + " is a " + type + " database, not a City one");
        }
        return new GeoIp(reader);
    }

    /**
     * The City record of {@code ip} as JSON text, or null when the IP is invalid, not in the
     * database, or the lookup fails (the original swallowed the error and answered null).
     *
     * @param ip as the plugin passed it; trimmed, as the original's MMDB server did
     */
    public String locate(String ip) {
        try {
            JsonNode record = record(ip == null ? "" : ip.trim());
            return record == null ? null : Json.write(record);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    @SuppressWarnings("rawtypes")
    private ObjectNode record(String ip) throws IOException {
        InetAddress address = parse(ip);
        if (address == null) {
            return null;
        }
        DatabaseRecord<Map> found = reader.getRecord(address, Map.class);
        Map<?, ?> raw = found.getData();
        if (raw == null) {
            return null;
        }
        ObjectNode city = JsonNodeFactory.instance.objectNode();
        for (String name : RECORDS) {
            JsonNode converted = convert(raw.get(name));
            if (name.equals("traits") && !converted.isObject()) {
                converted = JsonNodeFactory.instance.objectNode();
            }
            if (Json.truthy(converted)) { // Node: `record || undefined`
                city.set(camelCase(name), converted);
            }
        }
        if (city.get("registeredCountry") instanceof ObjectNode registered) {
            registered.put("isInEuropeanUnion", Json.truthy(registered.get("isInEuropeanUnion")));
        }
        ObjectNode traits = (ObjectNode) city.get("traits");
        for (String flag : TRAIT_FLAGS) {
            traits.put(flag, Json.truthy(traits.get(flag)));
        }
        traits.put("ipAddress", ip);
        traits.put("network", network(found));
        return city;
    }

    /**
     * The address, or null where Node's {@code net.isIP} says it is no IP (zone ids such as {@code
     * %eth0} are not looked up either). Only literals of hex digits, dots and colons reach {@link
     * InetAddress#getByName}, which parses those itself: nothing is ever resolved through DNS.
     */
    private static InetAddress parse(String ip) throws IOException {
        if (IPV4.matcher(ip).matches()
                || (ip.contains(":") && IPV6_CHARACTERS.matcher(ip).matches())) {
            return InetAddress.getByName(ip); // UnknownHostException for a malformed IPv6
        }
        return null;
    }

    /** The record's network as Node's {@code ip6addr} printed it: {@code 89.160.20.128/25}. */
    @SuppressWarnings("rawtypes")
    private static String network(DatabaseRecord<Map> found) {
        InetAddress network = found.getNetwork().getNetworkAddress();
        int prefix = found.getNetwork().getPrefixLength();
        return (network instanceof Inet6Address
                        ? compressed(network.getAddress())
                        : network.getHostAddress())
                + "/"
                + prefix;
    }

    /**
     * RFC 5952 text of an IPv6 address: lower case, the longest run of zero groups as {@code ::}.
     */
    static String compressed(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
            } else {
                if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }

    /** A decoded MMDB value as JSON, maps with camelCase keys in sorted order. */
    private static JsonNode convert(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            new TreeMap<>(map)
                    .forEach((key, item) -> object.set(camelCase((String) key), convert(item)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(item -> array.add(convert(item)));
            return array;
        }
        if (value instanceof String text) {
            return nodes.textNode(text);
        }
        if (value instanceof Boolean flag) {
            return nodes.booleanNode(flag);
        }
        if (value instanceof Float number) {
            return nodes.numberNode(number.doubleValue()); // JavaScript has doubles only
        }
        if (value instanceof Double number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Integer number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Long number) {
            return nodes.numberNode(number);
        }
        if (value instanceof BigInteger number) {
            return nodes.numberNode(number);
        }
        return value == null ? nodes.nullNode() : nodes.textNode(value.toString());
    }

    /**
     * {@code camelcase-keys} as Node's model called it ({@code exclude: [/-/]}): a key with a
     * {@code -} is kept, else each {@code _}, {@code .} or space and the letter after it become
     * that letter in upper case. MaxMind keys are lower-case snake_case, which this covers exactly.
     */
    static String camelCase(String key) {
        if (key.contains("-")) {
            return key;
        }
        StringBuilder text = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_' || c == '.' || c == ' ') {
                upper = text.length() > 0;
            } else {
                text.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return text.toString();
    }
}
