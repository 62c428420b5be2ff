package com.posthog.flink.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** URLs as the JDK client takes them, from what the WHATWG parser gave. */
class HostFetchTest {

    @Test
    void keepsWhatwgUrlsTheJdkWouldRefuse() throws Exception {
        assertThat(HostFetch.uri("http://x.org/a|b^?q={%22a%22:[1]}&r=`").toString())
                .isEqualTo("http://x.org/a%7Cb%5E?q=%7B%22a%22:[1]%7D&r=%60");
        assertThat(HostFetch.uri("https://x.org/path?q=1#fragment").toString())
                .isEqualTo("https://x.org/path?q=1");
    }

    @Test
    void convertsUnicodeHostsToAscii() throws Exception {
        assertThat(HostFetch.uri("http://bücher.example/a?b=1").toString())
                .isEqualTo("http://xn--bcher-kva.example/a?b=1");
    }

    @Test
    void refusesOtherSchemes() {
        assertThatThrownBy(() -> HostFetch.uri("ftp://x.org/"))
                .isInstanceOf(FetchException.class)
                .hasMessage(
                        "request to ftp://x.org/ failed, reason: Only HTTP(S) protocols are supported");
    }
}
