package com.posthog.flink.plugin.geoip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.plugin.corpus.PluginCorpus;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GeoIp} on MaxMind's {@code GeoLite2-City-Test.mmdb} (shipped in the geoip plugin's
 * tarball, fetched at test time). The expected record was derived independently of this class: the
 * database's raw record decoded in Node and shaped by the rules of {@code @maxmind/geoip2-node}
 * 3.x's {@code City} model.
 */
class GeoIpTest {

    private static GeoIp geoIp;

    @BeforeAll
    static void open() throws Exception {
        geoIp = GeoIp.open(PluginCorpus.testMmdb());
    }

    @AfterAll
    static void close() throws Exception {
        geoIp.close();
    }

    @Test
    void cityRecordIsShapedAsNodeGaveIt() throws Exception {
        String expected =
                new String(
                        Objects.requireNonNull(
                                        getClass()
                                                .getResourceAsStream(
                                                        "/plugin-corpus/geoip-89.160.20.129.json"))
                                .readAllBytes(),
                        StandardCharsets.UTF_8);
        // As text: key order included (Jackson keeps the file's order when re-writing it).
        assertThat(geoIp.locate("89.160.20.129")).isEqualTo(Json.write(Json.parse(expected)));
    }

    @Test
    void readsTheFieldsPluginsUse() throws Exception {
        JsonNode london = Json.parse(geoIp.locate(" 81.2.69.142\n"));
        assertThat(london.at("/city/names/en").asText()).isEqualTo("London");
        assertThat(london.at("/country/isoCode").asText()).isEqualTo("GB");
        assertThat(london.at("/location/timeZone").asText()).isEqualTo("Europe/London");
        assertThat(london.at("/location/longitude").doubleValue()).isEqualTo(-0.0931);
        assertThat(london.at("/subdivisions/0/isoCode").asText()).isEqualTo("ENG");
        assertThat(london.has("postal")).as("a record the database lacks is absent").isFalse();
        assertThat(london.at("/country/isInEuropeanUnion").isMissingNode())
                .as("only registeredCountry gets the EU flag default")
                .isTrue();
        assertThat(london.at("/registeredCountry/isInEuropeanUnion").booleanValue()).isFalse();
        assertThat(london.at("/traits/ipAddress").asText()).isEqualTo("81.2.69.142");
        assertThat(london.at("/traits/network").asText()).isEqualTo("81.2.69.142/31");
    }

    @Test
    void ipv6NetworksArePrintedCompressed() throws Exception {
        JsonNode japan = Json.parse(geoIp.locate("2001:218::1"));
        assertThat(japan.at("/country/isoCode").asText()).isEqualTo("JP");
        assertThat(japan.at("/traits/network").asText()).isEqualTo("2001:218::/32");
        assertThat(japan.has("city")).isFalse();
    }

    @Test
    void unknownAndInvalidIpsGiveNull() {
        assertThat(geoIp.locate("10.0.0.1")).isNull();
        assertThat(geoIp.locate("13.106.122.3")).isNull();
        assertThat(geoIp.locate("not an ip")).isNull();
        assertThat(geoIp.locate("localhost")).as("never resolved through DNS").isNull();
        assertThat(geoIp.locate("89.160.20")).as("Node's isIP rejects short forms").isNull();
        assertThat(geoIp.locate("089.160.20.129")).as("and leading zeros").isNull();
        assertThat(geoIp.locate("[::1]")).isNull();
        assertThat(geoIp.locate("g::1")).isNull();
        assertThat(geoIp.locate("2001:218::1%eth0")).isNull();
        assertThat(geoIp.locate("")).isNull();
        assertThat(geoIp.locate(null)).isNull();
    }

    @Test
    void refusesAFileThatIsNoCityDatabase(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("city.mmdb"), "not a database");
        assertThatThrownBy(() -> GeoIp.open(text)).isInstanceOf(IOException.class);
    }

    @Test
    void compressesIpv6AsRfc5952() throws Exception {
        assertThat(compressed("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(compressed("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(compressed("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(compressed("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(compressed("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    }

    @Test
    void camelCasesKeysWithoutADash() {
        assertThat(GeoIp.camelCase("iso_code")).isEqualTo("isoCode");
        assertThat(GeoIp.camelCase("is_in_european_union")).isEqualTo("isInEuropeanUnion");
        assertThat(GeoIp.camelCase("en")).isEqualTo("en");
        assertThat(GeoIp.camelCase("zh-CN")).isEqualTo("zh-CN");
    }

    private static String compressed(String address) throws Exception {
        return GeoIp.compressed(InetAddress.getByName(address).getAddress());
    }
}
