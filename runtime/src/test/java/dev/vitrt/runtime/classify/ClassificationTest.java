package dev.vitrt.runtime.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrt.runtime.FloatTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void topKIsSoftmaxOrderedAndDescribesItselfInOneLine() {
        FloatTensor logits = new FloatTensor(new long[] {1, 3}, new float[] {0f, 2f, 1f});
        List<Classification> top = Classification.topK(logits, 0, 2, ClassNames.of(List.of("a", "b", "c")));
        assertEquals(List.of(1, 2), top.stream().map(Classification::index).toList());
        double sum = 1 + Math.exp(2) + Math.exp(1); // softmax over all three classes, not just the top two
        assertEquals(Math.exp(2) / sum, top.get(0).probability(), 1e-9);
        assertEquals("1. class    1  " + String.format("%-40s ", "b") + "p=0.6652  logit=2.0000", top.get(0).describe(1));
        assertEquals("2. class    2  p=0.2447  logit=1.0000", Classification.topK(logits, 0, 2, null).get(1).describe(2));
    }
}
