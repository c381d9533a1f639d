package dev.vitrt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorSpecTest {
    @Test
    void printsAsPolygraphyDoesWithDynamicDimensionsByName() {
        TensorSpec in = new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, -1, 224},
                new String[] {"batch", null, null, null});
        assertEquals("input [dtype=float32, shape=(batch, 3, ?, 224)]", in.toString());
        assertEquals("logits [dtype=float16, shape=(2, 1000)]",
                new TensorSpec("logits", ElementType.FLOAT16, 2, 1000).toString());
        assertEquals("[dtype=float32, shape=(5,)]", new FloatTensor(new long[] {5}, new float[5]).dtypeAndShape());
    }

    @Test
    void equalityIsNameTypeAndShape() {
        TensorSpec a = new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 3}, new String[] {"batch", null});
        assertEquals(a, new TensorSpec("x", ElementType.FLOAT32, -1, 3));
        assertEquals(a.hashCode(), new TensorSpec("x", ElementType.FLOAT32, -1, 3).hashCode());
        assertNotEquals(a, new TensorSpec("x", ElementType.FLOAT16, -1, 3));
        assertNotEquals(a, new TensorSpec("x", ElementType.FLOAT32, 1, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec("x", ElementType.FLOAT32, new long[] {1}, new String[2]));
        assertThrows(NullPointerException.class, () -> new TensorSpec("x", null, 1));
    }

    @Test
    void checksAndFillsShapes() {
        TensorSpec a = new TensorSpec("x", ElementType.FLOAT32, -1, 3, -1);
        assertArrayEquals(new long[] {8, 3, 224}, a.concreteShape(8, 224));
        a.checkShape(new long[] {2, 3, 5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.checkShape(new long[] {2, 4, 5}));
        assertEquals("input 'x': shape (2, 4, 5) does not fit the model's (?, 3, ?)", e.getMessage());
    }
}
