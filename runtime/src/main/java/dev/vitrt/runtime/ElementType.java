package dev.vitrt.runtime;

import java.util.Locale;
import java.util.Optional;

/**
 * The element type of a tensor: VitRT's one vocabulary of data types. Each knows its ONNX {@code TensorProto.DataType}
 * code (the codes every backend and file format here maps from), its size, its NumPy {@code descr} when NumPy has
 * one, and the name users see: NumPy's ({@code float32}, {@code int64}), or ml_dtypes' for the types NumPy lacks
 * ({@code bfloat16}, {@code float8_e4m3fn}), as Polygraphy prints them. Other vocabularies (TensorRT's
 * {@code DataType}, Triton's {@code TYPE_FP32}) are translations at their own boundary, from and to this one.
 */
public enum ElementType {
    UNDEFINED(0, 0, null, "undefined"),
    FLOAT32(1, 32, "f4", "float"),
    UINT8(2, 8, "u1", "uint8"),
    INT8(3, 8, "i1", "int8"),
    UINT16(4, 16, "u2", "uint16"),
    INT16(5, 16, "i2", "int16"),
    INT32(6, 32, "i4", "int32"),
    INT64(7, 64, "i8", "int64"),
    /** Variable-length strings: no fixed size. */
    STRING(8, 0, null, "string"),
    BOOL(9, 8, "b1", "bool"),
    FLOAT16(10, 16, "f2", "float16"),
    FLOAT64(11, 64, "f8", "double"),
    UINT32(12, 32, "u4", "uint32"),
    UINT64(13, 64, "u8", "uint64"),
    COMPLEX64(14, 64, "c8", "complex64"),
    COMPLEX128(15, 128, "c16", "complex128"),
    BFLOAT16(16, 16, null, "bfloat16"),
    FLOAT8_E4M3FN(17, 8, null, "float8e4m3fn"),
    FLOAT8_E4M3FNUZ(18, 8, null, "float8e4m3fnuz"),
    FLOAT8_E5M2(19, 8, null, "float8e5m2"),
    FLOAT8_E5M2FNUZ(20, 8, null, "float8e5m2fnuz"),
    UINT4(21, 4, null, "uint4"),
    INT4(22, 4, null, "int4"),
    FLOAT4_E2M1FN(23, 4, null, "float4e2m1"),
    FLOAT8_E8M0FNU(24, 8, null, "float8e8m0"),
    UINT2(25, 2, null, "uint2"),
    INT2(26, 2, null, "int2");

    private static final ElementType[] BY_ONNX = new ElementType[27];

    static {
        for (ElementType t : values()) {
            BY_ONNX[t.onnxCode] = t;
        }
    }

    private final int onnxCode;
    private final int bits;
    private final String numpyKind;
    private final String onnxName;

    ElementType(int onnxCode, int bits, String numpyKind, String onnxName) {
        this.onnxCode = onnxCode;
        this.bits = bits;
        this.numpyKind = numpyKind;
        this.onnxName = onnxName;
    }

    /** ONNX's {@code TensorProto.DataType} code (also ONNX Runtime's {@code ONNXTensorElementDataType}). */
    public int onnxCode() {
        return onnxCode;
    }

    /** ONNX's own lower-case name ({@code float}, {@code double}, {@code float16}), as ONNX Runtime prints it. */
    public String onnxName() {
        return onnxName;
    }

    /** Bits per element (4 and 2 for the packed types; 0 for {@link #STRING} and {@link #UNDEFINED}). */
    public int bits() {
        return bits;
    }

    /** Bytes per element; throws for types without a whole-byte size (packed 4- and 2-bit types, strings). */
    public int bytes() {
        if (bits == 0 || bits % 8 != 0) {
            throw new UnsupportedOperationException(this + " has no whole-byte element size");
        }
        return bits / 8;
    }

    /** Bytes {@code count} elements take, packed (two 4-bit elements a byte, as ONNX stores them). */
    public long bytes(long count) {
        if (bits == 0) {
            throw new UnsupportedOperationException(this + " has no fixed element size");
        }
        return (Math.multiplyExact(count, (long) bits) + 7) / 8;
    }

    /** Whether values are floating point (of any width). */
    public boolean isFloatingPoint() {
        return this == BFLOAT16 || name().startsWith("FLOAT");
    }

    /**
     * NumPy's {@code descr} in little-endian order ({@code <f4}, {@code |u1} for one-byte types), or empty for types
     * NumPy does not have.
     */
    public Optional<String> numpyDescr() {
        if (numpyKind == null) {
            return Optional.empty();
        }
        return Optional.of((bits == 8 ? "|" : "<") + numpyKind);
    }

    /** The name users see: NumPy's {@code dtype.name}, or ml_dtypes' where NumPy has none. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /** The type of an ONNX {@code TensorProto.DataType} code; throws for a code ONNX does not define. */
    public static ElementType fromOnnx(int code) {
        if (code < 0 || code >= BY_ONNX.length || BY_ONNX[code] == null) {
            throw new IllegalArgumentException("unknown ONNX element type " + code);
        }
        return BY_ONNX[code];
    }

    /** For messages: the display name of an ONNX code, or {@code ONNX type N} for a code ONNX had not defined. */
    public static String displayNameOfOnnx(int code) {
        return code >= 0 && code < BY_ONNX.length && BY_ONNX[code] != null ? BY_ONNX[code].displayName()
                : "ONNX type " + code;
    }

    /**
     * The type of a NumPy {@code descr} in any byte order ({@code <f4}, {@code >i8}, {@code |b1}, {@code =f2}), or
     * empty when it is not one of these types.
     */
    public static Optional<ElementType> fromNumpyDescr(String descr) {
        if (descr.length() < 2 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            return Optional.empty();
        }
        String kind = descr.substring(1);
        for (ElementType t : values()) {
            if (kind.equals(t.numpyKind)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The type a name means, in either vocabulary VitRT meets in text: the display name ({@code float32},
     * {@code float8_e4m3fn}) or ONNX's ({@code float}, {@code double}, {@code float8e4m3fn}, as ONNX Runtime's
     * profiles write them), in any case; {@code fp8} too, which plan manifests before this type used for TensorRT's
     * {@code kFP8} (E4M3). Empty when the name is none of these.
     */
    public static Optional<ElementType> parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("fp8")) {
            return Optional.of(FLOAT8_E4M3FN);
        }
        for (ElementType t : values()) {
            if (n.equals(t.displayName()) || n.equals(t.onnxName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #parse}, throwing one line naming {@code what} when the name is unknown. */
    public static ElementType parse(String name, String what) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException(what + ": unknown element type '" + name
                + "' (expected a NumPy name such as float32, float16, int64)"));
    }
}
