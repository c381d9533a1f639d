package dev.vitrt.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The SVG charts: well-formed XML, one mark per plottable value, text escaped. */
class SvgPlotTest {
    @Test
    void svgIsWellFormedWithOnePointPerPlottableValue() throws Exception {
        SvgPlot p = new SvgPlot("t <&>", "tokens", "ms", true, true);
        p.add(new SvgPlot.Series("mha", List.of(new SvgPlot.Point(64, 10, "a"), new SvgPlot.Point(256, 100, null),
                new SvgPlot.Point(0, 5, null), new SvgPlot.Point(128, Double.NaN, null)), true, false));
        p.add(new SvgPlot.Series("separable", List.of(new SvgPlot.Point(64, 3, null)), true, true));
        String svg = p.render();
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getNodeName());
        // 3 data points + 2 legend markers
        assertEquals(5, d.getElementsByTagName("circle").getLength());
        assertEquals(1, d.getElementsByTagName("path").getLength()); // one line: the 1-point series draws none
        assertTrue(svg.contains("t &lt;&amp;&gt;"));
        assertTrue(svg.contains("stroke-dasharray"));
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), SvgPlot.ticks(new double[] {0, 1}, false));
        assertEquals(List.of(10.0, 20.0, 50.0, 100.0), SvgPlot.ticks(new double[] {8, 120}, true));
    }

    @Test
    void barsAreScaledToTheLongestAndEscaped() throws Exception {
        String svg = SvgPlot.bars(List.of(new SvgPlot.Bar("NTB <a>", 0.6, "#4a7fb5"),
                new SvgPlot.Bar("other", 0.3, "#aaaaaa")), "share & more");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, d.getElementsByTagName("rect").getLength());
        assertTrue(svg.contains("width=\"480.0\"") && svg.contains("width=\"240.0\""), svg);
        assertTrue(svg.contains("NTB &lt;a&gt;") && svg.contains("60.0%") && svg.contains("share &amp; more"), svg);
    }
}
