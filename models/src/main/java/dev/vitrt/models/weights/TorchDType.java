package dev.vitrt.models.weights;

import java.util.Locale;

/** Element types of PyTorch storages, by the names its pickles use for them. */
enum TorchDType {
    FLOAT32("FloatStorage", "float32", 4),
    FLOAT16("HalfStorage", "float16", 2),
    BFLOAT16("BFloat16Storage", "bfloat16", 2),
    FLOAT64("DoubleStorage", "float64", 8),
    INT64("LongStorage", "int64", 8),
    INT32("IntStorage", "int32", 4),
    INT16("ShortStorage", "int16", 2),
    INT8("CharStorage", "int8", 1),
    UINT8("ByteStorage", "uint8", 1),
    BOOL("BoolStorage", "bool", 1);

    final String storageName;
    final String dtypeName;
    final int size;

    TorchDType(String storageName, String dtypeName, int size) {
        this.storageName = storageName;
        this.dtypeName = dtypeName;
        this.size = size;
    }

    /** The floating-point types the model definitions read (upcast to float32). */
    boolean readable() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16;
    }

    boolean floating() {
        return readable() || this == FLOAT64;
    }

    static TorchDType ofStorage(String name) {
        for (TorchDType t : values()) {
            if (t.storageName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    static TorchDType ofDtype(String name) {
        for (TorchDType t : values()) {
            if (t.dtypeName.equals(name)) {
                return t;
            }
        }
        return switch (name) {
            case "float", "half", "double", "long", "int", "short" -> ofDtype(switch (name) {
                case "float" -> "float32";
                case "half" -> "float16";
                case "double" -> "float64";
                case "long" -> "int64";
                case "int" -> "int32";
                default -> "int16";
            });
            default -> null;
        };
    }

    @Override
    public String toString() {
        return dtypeName.toLowerCase(Locale.ROOT);
    }
}
