package io.geocont.plot;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import java.awt.Graphics2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PlotsTest {
    @TempDir Path dir;

    @AfterEach void reset() { Plots.resetForTests(); }

    private static XYChart chart() {
        XYChart c = new XYChart(300, 200);
        c.addSeries("a", new double[] {0, 1, 2}, new double[] {1, 0, 1});
        return c;
    }

    @Test void writesPngAndSvg() throws Exception {
        Path png = Plots.save(chart(), dir.resolve("ok"));
        assertEquals(dir.resolve("ok.png").toAbsolutePath(), png);
        assertTrue(Files.size(dir.resolve("ok.png")) > 500);
        assertTrue(Files.readString(dir.resolve("ok.svg")).contains("<svg"));
    }

    /** A machine without fonts (AWT throws while drawing text) skips figures with one warning instead of failing the command. */
    @Test void aMachineThatCannotDrawSkipsFiguresInsteadOfFailing() throws Exception {
        XYChart broken = new XYChart(300, 200) {
            @Override public void paint(Graphics2D g, int width, int height) {
                throw new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration");
            }
        };
        List<String> warned = new ArrayList<>();
        Plots.warnTo(warned::add);
        assertNull(Plots.save(broken, dir.resolve("broken")));
        assertTrue(Plots.unavailableReason().contains("Fontconfig head is null"));
        assertFalse(Files.exists(dir.resolve("broken.png")));
        assertNull(Plots.save(chart(), dir.resolve("later")), "later charts are skipped too, without another attempt");
        assertFalse(Files.exists(dir.resolve("later.png")));
        assertEquals(1, warned.size(), "one warning, to the sink the CLI sets, not per chart: " + warned);
        assertTrue(warned.get(0).contains("figures skipped") && warned.get(0).contains("Fontconfig head is null"), warned.get(0));
    }
}
