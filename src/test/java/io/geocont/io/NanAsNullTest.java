package io.geocont.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Undefined values (NaN) are null in every JSON geocont writes, and come back as NaN. */
class NanAsNullTest {
    record Row(double mean, double[] pairs, Double optional) { }

    @Test void nanIsNullOnTheWayOutAndNanOnTheWayIn() throws Exception {
        ObjectMapper json = AtomicFiles.json();
        String text = json.writeValueAsString(new Row(Double.NaN, new double[] {0.5, Double.NaN}, Double.NaN));
        assertFalse(text.contains("NaN"), text);
        Map<?, ?> plain = new ObjectMapper().readValue(text, Map.class); // any JSON reader sees null
        assertNull(plain.get("mean"));
        assertNull(((java.util.List<?>) plain.get("pairs")).get(1));
        Row back = json.readValue(text, Row.class);
        assertTrue(Double.isNaN(back.mean()));
        assertEquals(0.5, back.pairs()[0]);
        assertTrue(Double.isNaN(back.pairs()[1]));
        assertNull(back.optional(), "a boxed Double stays null (absent)");
        Row fine = json.readValue(json.writeValueAsString(new Row(0.25, new double[] {1}, 2.0)), Row.class);
        assertEquals(0.25, fine.mean());
        assertEquals(2.0, fine.optional());
    }
}
