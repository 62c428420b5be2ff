package com.posthog.flink.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void printsValuesAsJavaScriptsStringDoes() throws Exception {
        assertThat(Json.jsString(Json.parse("35"))).isEqualTo("35");
        assertThat(Json.jsString(Json.parse("35.0"))).isEqualTo("35");
        assertThat(Json.jsString(Json.parse("1.5"))).isEqualTo("1.5");
        assertThat(Json.jsString(Json.parse("null"))).isEqualTo("null");
        assertThat(Json.jsString(null)).isEqualTo("undefined");
        assertThat(Json.jsString(Json.parse("true"))).isEqualTo("true");
        assertThat(Json.jsString(Json.parse("{\"a\":1}"))).isEqualTo("[object Object]");
        assertThat(Json.jsString(Json.parse("[1,null,\"x\"]"))).isEqualTo("1,,x");
    }

    @Test
    void largeAndTinyNumbersUseJavaScriptsExponentForm() {
        assertThat(Json.jsNumber(new BigDecimal("1e21"))).isEqualTo("1e+21");
        assertThat(Json.jsNumber(new BigDecimal("1.5e-7"))).isEqualTo("1.5e-7");
        assertThat(Json.jsNumber(new BigDecimal("123456789012"))).isEqualTo("123456789012");
    }

    @Test
    void truthinessFollowsJavaScript() throws Exception {
        assertThat(Json.truthy(Json.parse("\"\""))).isFalse();
        assertThat(Json.truthy(Json.parse("0"))).isFalse();
        assertThat(Json.truthy(Json.parse("null"))).isFalse();
        assertThat(Json.truthy(null)).isFalse();
        assertThat(Json.truthy(Json.parse("\"0\""))).isTrue();
        assertThat(Json.truthy(Json.parse("{}"))).isTrue();
    }
}
