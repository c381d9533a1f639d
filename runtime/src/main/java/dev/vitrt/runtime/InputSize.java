package dev.vitrt.runtime;

import java.util.Locale;

/**
 * An input's height and width in pixels, height first as timm's {@code input_size}; written {@code HxW}, or {@code N}
 * for N x N. Zero means the model's default.
 */
public record InputSize(int height, int width) {
    public static final InputSize DEFAULT = new InputSize(0, 0);

    public InputSize {
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("input size must be two positive sizes, got " + height + "x" + width);
        }
    }

    public static InputSize square(int n) {
        return new InputSize(n, n);
    }

    /** {@code HxW} or {@code N}. */
    public static InputSize parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int x = t.indexOf('x');
        try {
            InputSize size = x < 0 ? square(Integer.parseInt(t))
                    : new InputSize(Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
            if (size.height() < 1) {
                throw new IllegalArgumentException();
            }
            return size;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input size '" + s + "' is not N or HxW (height first, e.g. 512x1024)");
        }
    }

    public boolean isDefault() {
        return height == 0;
    }

    public boolean isSquare() {
        return height == width;
    }

    /** {@code this}, or {@code fallback} where this is the default. */
    public InputSize or(InputSize fallback) {
        return isDefault() ? fallback : this;
    }

    @Override
    public String toString() {
        return isSquare() ? Integer.toString(height) : height + "x" + width;
    }
}
