package dev.vitrt.models.weights;

import dev.vitrt.runtime.ElementType;

/**
 * PyTorch storages by the names its pickles use for them, with the element type each holds; PyTorch's dtype names
 * ({@code torch.float32}) are the display names of {@link ElementType}.
 */
enum TorchDType {
    FLOAT32("FloatStorage", ElementType.FLOAT32),
    FLOAT16("HalfStorage", ElementType.FLOAT16),
    BFLOAT16("BFloat16Storage", ElementType.BFLOAT16),
    FLOAT64("DoubleStorage", ElementType.FLOAT64),
    INT64("LongStorage", ElementType.INT64),
    INT32("IntStorage", ElementType.INT32),
    INT16("ShortStorage", ElementType.INT16),
    INT8("CharStorage", ElementType.INT8),
    UINT8("ByteStorage", ElementType.UINT8),
    BOOL("BoolStorage", ElementType.BOOL);

    final String storageName;
    final ElementType elementType;
    final String dtypeName;
    final int size;

    TorchDType(String storageName, ElementType elementType) {
        this.storageName = storageName;
        this.elementType = elementType;
        this.dtypeName = elementType.displayName();
        this.size = elementType.bytes();
    }

    /** The floating-point types the model definitions read (upcast to float32). */
    boolean readable() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16;
    }

    boolean floating() {
        return elementType.isFloatingPoint();
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
        return dtypeName;
    }
}
