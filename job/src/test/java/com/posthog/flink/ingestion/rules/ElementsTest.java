package com.posthog.flink.ingestion.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.posthog.flink.event.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Element extraction, chain and hash against the original's test vectors (spec §7.2). */
class ElementsTest {

    /** Scenario 13's {@code $elements}. */
    private static final String SCENARIO_13 =
            """
            [{"tag_name": "a", "nth_child": 1, "nth_of_type": 2, "attr__class": "btn btn-sm"},
             {"tag_name": "div", "nth_child": 1, "nth_of_type": 2, "$el_text": "\\ud83d\\udcbb"}]
            """;

    /** An element with quotes, odd classes, non-ASCII text and attributes that sort oddly. */
    private static final String TRICKY =
            """
            [{"tag_name": "button", "$el_text": "Sign \\"up\\" \\u00e9\\u0001\\u007f\\u2028",
              "attr__class": "z-b a_c  Ab", "attr__data-attr": "x\\"y", "attr__id": "main",
              "attr__href": "/p?q=\\"1\\"", "attr__aria-label": "Close", "attr__style": "a:b;",
              "attr__dataX": 7, "nth_child": 3},
             {"tag_name": "svg", "attr__viewBox": "0 0 1 1", "attr__Version": "1.1",
              "attr__version": "2", "attr__x_1": "u", "attr__x-1": "h", "attr__x.1": "d",
              "attr__x1": "n"}]
            """;

    private static List<Element> extract(String json) throws Exception {
        return Elements.extract(Json.parse(json));
    }

    @Test
    void scenario13ExtractsAndHashes() throws Exception {
        List<Element> elements = extract(SCENARIO_13);

        assertThat(elements).hasSize(2);
        Element a = elements.get(0);
        assertThat(a.tagName()).isEqualTo("a");
        assertThat(a.attrClass()).containsExactly("btn", "btn-sm");
        assertThat(a.text()).isNull();
        assertThat(a.nthChild()).isEqualTo(1);
        assertThat(a.nthOfType()).isEqualTo(2);
        assertThat(a.attributes())
                .containsExactly(Map.entry("attr__class", TextNode.valueOf("btn btn-sm")));
        Element div = elements.get(1);
        assertThat(div.text()).isEqualTo("\ud83d\udcbb");
        assertThat(div.attrClass()).isNull();
        assertThat(div.attributes()).isEmpty();

        assertThat(Elements.hash(elements)).isEqualTo("0679137c0cd2408a2906839143e7a71f");
    }

    @Test
    void scenario16CutsTextAndHrefAndHashes() throws Exception {
        String long2050 = "a".repeat(2050);
        ArrayNode raw = Json.MAPPER.createArrayNode();
        raw.addObject()
                .put("tag_name", "a")
                .put("$el_text", long2050)
                .put("attr__href", long2050)
                .put("nth_child", 1)
                .put("nth_of_type", 2)
                .put("attr__class", "btn btn-sm");

        List<Element> elements = Elements.extract(raw);

        assertThat(elements.get(0).text()).hasSize(400);
        assertThat(elements.get(0).href()).hasSize(2048);
        assertThat(elements.get(0).attributes().get("attr__href").textValue()).hasSize(2050);
        assertThat(Elements.hash(elements)).isEqualTo("c2659b28e72835706835764cf7f63c2a");
    }

    @Test
    void scenario17Hash() throws Exception {
        List<Element> elements =
                extract(
                        "[{\"tag_name\": \"a\", \"nth_child\": 1, \"nth_of_type\": 2,"
                                + " \"attr__class\": \"btn btn-sm\"}]");

        assertThat(Elements.hash(elements)).isEqualTo("a89021a60b3497d24e93ae181fba01aa");
    }

    @Test
    void scenario47HandMadeElementsHash() {
        // The original's createElementGroup test: no attributes at all, so "attributes": null.
        List<Element> elements = List.of(Element.of("button", "Sign up!"), Element.of("div", null));

        assertThat(Elements.hash(elements)).isEqualTo("e6d0c8f2328f82e7f91bc04edec642cf");
    }

    @Test
    void classesAreSortedAndSplitOnSingleSpaces() throws Exception {
        List<Element> elements = extract(TRICKY);

        assertThat(elements.get(0).attrClass()).containsExactly("", "Ab", "a_c", "z-b");
        assertThat(elements.get(0).attrId()).isEqualTo("main");
        assertThat(elements.get(0).nthOfType()).isNull();
        assertThat(elements.get(0).attributes().keySet())
                .containsExactly(
                        "attr__class",
                        "attr__data-attr",
                        "attr__id",
                        "attr__href",
                        "attr__aria-label",
                        "attr__style",
                        "attr__dataX");
    }

    @Test
    void hashSerialisationIsPythonJsonDumps() throws Exception {
        Element element = extract(TRICKY).get(0);
        ObjectNode asHashed = Json.MAPPER.createObjectNode();
        ArrayNode classes = asHashed.putArray("attr_class");
        element.attrClass().forEach(classes::add);
        asHashed.put("attr_id", element.attrId());
        ObjectNode attributes = asHashed.putObject("attributes");
        element.attributes().forEach(attributes::set);
        asHashed.put("href", element.href());
        asHashed.put("nth_child", element.nthChild());
        asHashed.putNull("nth_of_type");
        asHashed.put("tag_name", element.tagName());
        asHashed.put("text", element.text());

        // The expected text is what the original's jsonDumps gives for the same element.
        assertThat(Elements.pythonJsonDumps(asHashed))
                .isEqualTo(
                        "{\"attr_class\": [\"\", \"Ab\", \"a_c\", \"z-b\"], \"attr_id\": \"main\", \"attributes\": {\"attr__aria-label\": \"Close\", \"attr__class\": \"z-b a_c  Ab\", \"attr__data-attr\": \"x\\\"y\", \"attr__dataX\": 7, \"attr__href\": \"/p?q=\\\"1\\\"\", \"attr__id\": \"main\", \"attr__style\": \"a:b;\"}, \"href\": \"/p?q=\\\"1\\\"\", \"nth_child\": 3, \"nth_of_type\": null, \"tag_name\": \"button\", \"text\": \"Sign \\\"up\\\" \\u00e9\\u0001\u007f\\u2028\"}");
        assertThat(Elements.hash(extract(TRICKY))).isEqualTo("361bfd5618245f7112697ca019505a32");
    }

    @Test
    void chainOfScenario13() throws Exception {
        assertThat(Elements.chain(extract(SCENARIO_13)))
                .isEqualTo(
                        "a.btn.btn-sm:attr__class=\"btn btn-sm\"nth-child=\"1\"nth-of-type=\"2\";"
                                + "div:nth-child=\"1\"nth-of-type=\"2\"text=\"\ud83d\udcbb\"");
    }

    @Test
    void chainSortsAttributesAsLocaleCompareAndEscapesQuotes() throws Exception {
        assertThat(Elements.chain(extract(TRICKY)))
                .isEqualTo(
                        "button..Ab.a_c.z-b:attr__aria-label=\"Close\"attr__class=\"z-b a_c  Ab\"attr__data-attr=\"x\\\"y\"attr__dataX=\"7\"attr__href=\"/p?q=\\\"1\\\"\"attr__id=\"main\"attr__style=\"a:b;\"attr_id=\"main\"href=\"/p?q=\\\"1\\\"\"nth-child=\"3\"nth-of-type=\"0\"text=\"Sign \\\"up\\\" \u00e9\u0001\u007f\u2028\";svg:attr__version=\"2\"attr__Version=\"1.1\"attr__viewBox=\"0 0 1 1\"attr__x_1=\"u\"attr__x-1=\"h\"attr__x.1=\"d\"attr__x1=\"n\"nth-child=\"0\"nth-of-type=\"0\"");
    }

    /** Scenario 91: the ingestion-utils test's chain. */
    @Test
    void chainOfTheIngestionUtilsTest() {
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        attributes.put("prop", TextNode.valueOf("value"));
        attributes.put("number", Json.MAPPER.getNodeFactory().numberNode(33));
        attributes.put("data-attr", TextNode.valueOf("something \" that; could mess up"));
        attributes.put("style", TextNode.valueOf("min-height: 100vh;"));
        List<Element> elements =
                List.of(
                        new Element(
                                "bla bla", "a", "/a-url", List.of("small"), null, 1, 0, attributes),
                        new Element(
                                null,
                                "button",
                                null,
                                List.of("btn", "btn-primary"),
                                null,
                                0,
                                0,
                                null),
                        new Element(null, "div", null, null, null, 0, 0, null),
                        new Element(null, "div", null, null, "nested", 0, 0, null));

        assertThat(Elements.chain(elements))
                .isEqualTo(
                        String.join(
                                ";",
                                "a.small:data-attr=\"something \\\" that; could mess up\"href=\"/a-url\"nth-child=\"1\"nth-of-type=\"0\"number=\"33\"prop=\"value\"style=\"min-height: 100vh;\"text=\"bla bla\"",
                                "button.btn.btn-primary:nth-child=\"0\"nth-of-type=\"0\"",
                                "div:nth-child=\"0\"nth-of-type=\"0\"",
                                "div:attr_id=\"nested\"nth-child=\"0\"nth-of-type=\"0\""));
    }

    @Test
    void chainSkipsEmptyTagAndFalsyFields() {
        Element element = new Element("", "", "", List.of("x\"y"), "", null, null, Map.of());

        assertThat(Elements.chain(List.of(element)))
                .isEqualTo(".xy:nth-child=\"0\"nth-of-type=\"0\"");
        assertThat(Elements.chain(List.of())).isEmpty();
    }

    @Test
    void elementsJsonIsWhatPostgresStoresAndRoundTrips() throws Exception {
        List<Element> elements = extract(SCENARIO_13);

        String json = Elements.elementsJson(elements);

        assertThat(Json.parse(json))
                .isEqualTo(
                        Json.parse(
                                "[{\"tag_name\":\"a\",\"attr_class\":[\"btn\",\"btn-sm\"],\"nth_child\":1,"
                                        + "\"nth_of_type\":2,\"attributes\":{\"attr__class\":\"btn btn-sm\"}},"
                                        + "{\"text\":\"\ud83d\udcbb\",\"tag_name\":\"div\",\"nth_child\":1,"
                                        + "\"nth_of_type\":2,\"attributes\":{}}]"));
        assertThat(Elements.fromElementsJson(json)).isEqualTo(elements);
        assertThat(Elements.fromElementsJson(Elements.elementsJson(extract(TRICKY))))
                .isEqualTo(extract(TRICKY));
        assertThat(Elements.elementsJson(List.of())).isEqualTo("[]");
    }

    @Test
    void oddInputsAreTolerated() throws Exception {
        List<Element> elements =
                extract(
                        "[null, \"x\", {\"tag_name\": 5, \"nth_child\": \"4\", \"nth_of_type\": 1.5,"
                                + " \"$el_text\": null, \"attr__class\": null}]");

        assertThat(elements).hasSize(3);
        assertThat(elements.get(0).attributes()).isEmpty();
        assertThat(elements.get(2).tagName()).isEqualTo("5");
        assertThat(elements.get(2).nthChild()).isEqualTo(4);
        assertThat(elements.get(2).nthOfType()).isNull();
        assertThat(elements.get(2).attrClass()).isNull();
        assertThat(elements.get(2).attributes()).containsOnlyKeys("attr__class");
        assertThat(Elements.extract(Json.parse("{}"))).isEmpty();
        assertThat(Elements.extract(null)).isEmpty();
    }
}
