package io.geocont.plot;

import io.geocont.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Saves an XChart chart as PNG and SVG side by side (base path without extension).
 * A machine where Java cannot render text (no fonts or fontconfig, as on a bare GPU node) gets
 * one warning and no figures instead of a failed command: the numbers are always written before
 * the figures, and re-running the same reproduce command elsewhere redraws them from those files.
 * The warning goes to the sink set by {@link #warnTo} (the CLI's stderr), never straight to a stream.
 */
public final class Plots {
    private static volatile String unavailable; // why drawing failed once; later charts are skipped
    private static volatile Consumer<String> warnings = w -> { };

    private Plots() { }

    /** Where the one "figures skipped" warning goes; by default nowhere ({@link #unavailableReason} still tells). */
    public static void warnTo(Consumer<String> sink) { warnings = Objects.requireNonNull(sink, "sink"); }

    /** Writes {@code base}.png and {@code base}.svg atomically; returns the PNG path, or null when figures cannot be drawn here. */
    public static Path save(Chart<?, ?> chart, Path base) throws IOException {
        if (unavailable != null) return null;
        try {
            return draw(chart, base);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) { // e.g. "Fontconfig head is null"
            return skip(e);
        }
    }

    /**
     * Writes {@code base}.png: the charts side by side in one row, one panel each (PNG only:
     * XChart's SVG encoder draws one chart; save each panel with {@link #save} for vectors).
     * Returns the path, or null when figures cannot be drawn here.
     */
    public static <T extends Chart<?, ?>> Path savePanels(java.util.List<T> charts, Path base) throws IOException {
        if (unavailable != null) return null;
        try {
            Path png = base.toAbsolutePath().getParent().resolve(base.getFileName() + ".png");
            Files.createDirectories(png.getParent());
            var bytes = new java.io.ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), bytes, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.writeBytes(png, bytes.toByteArray());
            return png;
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            return skip(e);
        }
    }

    /** Why figures are not drawn on this machine, or null when they are. */
    public static String unavailableReason() { return unavailable; }

    /** Forget an earlier failure (tests only: a real machine does not gain fonts mid-run). */
    static void resetForTests() { unavailable = null; warnings = w -> { }; }

    private static Path skip(Throwable e) {
        unavailable = e.getClass().getSimpleName() + ": " + e.getMessage();
        warnings.accept("geocont: figures skipped: Java cannot draw on this machine (" + unavailable
                + "); the numbers are written; run the same command on a machine with fonts to draw them");
        return null;
    }

    private static Path draw(Chart<?, ?> chart, Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = base.getFileName().toString();
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        AtomicFiles.writeBytes(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        var svgBytes = new java.io.ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svgBytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        AtomicFiles.writeBytes(svg, svgBytes.toByteArray());
        return png;
    }
}
