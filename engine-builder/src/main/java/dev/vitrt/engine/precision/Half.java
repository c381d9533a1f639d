package dev.vitrt.engine.precision;

/**
 * IEEE 754 binary16 conversions (Java 17 has no {@code Float.floatToFloat16}).
 *
 * <p>{@link #fromFloat} rounds to nearest, ties to even, produces subnormals below 2^-14, rounds to signed zero below
 * half the smallest subnormal, overflows to infinity at 65520 and keeps NaN a NaN.
 */
public final class Half {
    /** Largest finite half value. */
    public static final float MAX_VALUE = 65504f;
    /** Smallest positive subnormal half value, 2^-24. */
    public static final float MIN_VALUE = 0x1p-24f;
    /** Smallest positive normal half value, 2^-14. */
    public static final float MIN_NORMAL = 0x1p-14f;

    private Half() {
    }

    /** Rounds a float to the nearest half (ties to even) and returns its 16 bits. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            // infinity stays infinity; NaN keeps its top payload bits and stays quiet
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15; // rebiased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // subnormal half (or zero): shift the full 24-bit significand into place, rounding to nearest even
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal (2^-25): rounds to zero
            }
            int m = mant | 0x800000;
            int shift = 14 - e; // 14..24
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (half & 1) != 0)) {
                half++; // may carry into the smallest normal, which is the right answer
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // carry may reach exponent 31, i.e. infinity: correct overflow
        }
        return (short) (sign | half);
    }

    /** The exact float value of half bits. */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * MIN_VALUE; // exact: mant < 2^10
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** The float nearest to {@code f} that a half can hold: the FP16 rounding a tensor undergoes. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }
}
