package dev.vitrt.runtime.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonRunTest {
    private final List<String> events = new ArrayList<>();

    /** y = scale * x, for an input of {@code shape}; records when it is opened and closed. */
    private ComparisonRun.Opener model(String name, float scale, long... shape) {
        return () -> {
            events.add("open " + name);
            return new Backend() {
                public String name() {
                    return name;
                }

                public String device() {
                    return "test";
                }

                public Path modelPath() {
                    return Path.of(name);
                }

                public List<TensorSpec> inputs() {
                    return List.of(new TensorSpec("x", ElementType.FLOAT32, shape));
                }

                public List<TensorSpec> outputs() {
                    return List.of(new TensorSpec("y", ElementType.FLOAT32, shape));
                }

                public Map<String, String> metadata() {
                    return Map.of();
                }

                public Map<String, FloatTensor> run(Map<String, FloatTensor> in) {
                    float[] d = in.get("x").data().clone();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= scale;
                    }
                    return Map.of("y", new FloatTensor(in.get("x").shape(), d));
                }

                public void close() {
                    events.add("close " + name);
                }
            };
        };
    }

    @Test
    void everyModelRunsOnTheOneInputMadeForTheFirst() throws Exception {
        List<TensorSpec> made = new ArrayList<>();
        ComparisonRun.Results r = ComparisonRun.run(List.of(model("a", 2, -1, 3), model("b", 3, 2, 3)),
                (first, in) -> {
                    events.add("load for " + first.name());
                    return new FloatTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
                }, (in, x) -> made.add(in));
        assertEquals(List.of("open a", "load for a", "close a", "open b", "close b"), events); // one model open at a time
        assertEquals(List.of("x"), made.stream().map(TensorSpec::name).toList());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, r.outputs().get(0).get("y").data());
        assertArrayEquals(new float[] {3, 6, 9, 12, 15, 18}, r.outputs().get(1).get("y").data());
        assertArrayEquals(new long[] {2, 3}, r.input().shape());
    }

    @Test
    void aLaterModelThatCannotTakeTheInputFailsAndIsClosed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComparisonRun.run(
                List.of(model("a", 1, -1, 3), model("b", 1, 1, 4)),
                (first, in) -> new FloatTensor(new long[] {2, 3}, new float[6]), (in, x) -> { }));
        assertEquals("input 'x': shape (2, 3) does not fit the model's (1, 4)", e.getMessage());
        assertEquals(List.of("open a", "close a", "open b", "close b"), events);
    }
}
