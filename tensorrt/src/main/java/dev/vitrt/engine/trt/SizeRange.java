package dev.vitrt.engine.trt;

import dev.vitrt.runtime.InputSize;

/**
 * The input heights and widths an engine's optimization profile covers, as trtexec's --minShapes/--optShapes/
 * --maxShapes give them for H and W: {@code MIN:OPT:MAX}, each {@code N} or {@code HxW} (height first), or one size
 * for a fixed one.
 */
public record SizeRange(InputSize min, InputSize opt, InputSize max) {
    public SizeRange {
        if (min.isDefault() || min.height() > opt.height() || opt.height() > max.height() || min.width() > opt.width()
                || opt.width() > max.width()) {
            throw new IllegalArgumentException("input size range must satisfy MIN <= OPT <= MAX in height and width, got "
                    + min + ":" + opt + ":" + max);
        }
    }

    public static SizeRange of(InputSize size) {
        return new SizeRange(size, size, size);
    }

    /** {@code N}, {@code HxW} or {@code MIN:OPT:MAX} of those. */
    public static SizeRange parse(String text) {
        String[] p = text.trim().split(":", -1);
        if (p.length != 1 && p.length != 3) {
            throw new IllegalArgumentException("input size '" + text + "' must be N, HxW or MIN:OPT:MAX of those "
                    + "(e.g. 512x512:800x1344:1024x2048)");
        }
        InputSize[] s = new InputSize[p.length];
        for (int i = 0; i < p.length; i++) {
            s[i] = InputSize.parse(p[i]);
        }
        return p.length == 1 ? of(s[0]) : new SizeRange(s[0], s[1], s[2]);
    }

    public boolean isFixed() {
        return min.equals(max);
    }

    /** {@code min}, {@code opt}, {@code max} by index 0, 1, 2 (TensorRT's profile selectors). */
    InputSize get(int k) {
        return k == 0 ? min : k == 1 ? opt : max;
    }

    @Override
    public String toString() {
        return isFixed() ? min.toString() : min + ":" + opt + ":" + max;
    }
}
