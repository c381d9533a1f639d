package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.profile.LayerTimings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LayerTimeAccumulatorTest {
    @Test
    void meansOverTheLastRunsInFirstAppearanceOrder() {
        LayerTimeAccumulator a = new LayerTimeAccumulator();
        a.addRun(List.of("a", "b"), new float[] {100, 100}, 500); // warm-up, dropped below
        a.addRun(List.of("a", "b", "a"), new float[] {1, 2, 1}, 5);
        a.addRun(List.of("a", "c", "b"), new float[] {3, 4, 6}, 15);
        LayerTimings t = a.finish(2, Set.of(ElementType.FLOAT16));
        assertEquals(List.of("a", "b", "c"), t.layers().stream().map(l -> l.name()).toList());
        assertEquals(2.5, t.layers().get(0).ms(), 1e-9, "(1 + 1 + 3) / 2: repeats within a run summed");
        assertEquals(4.0, t.layers().get(1).ms(), 1e-9);
        assertEquals(2.0, t.layers().get(2).ms(), 1e-9, "absent from a run counts 0 there");
        assertEquals(10.0, t.profiledRunMs(), 1e-9);
        assertEquals(2, t.runs());
        assertEquals(Set.of(ElementType.FLOAT16), t.elementTypes());
        assertThrows(IllegalArgumentException.class, () -> a.finish(4, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> a.addRun(List.of("x"), new float[2], 1));
    }
}
