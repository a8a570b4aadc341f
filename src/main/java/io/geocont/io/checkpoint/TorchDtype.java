package io.geocont.io.checkpoint;

/**
 * PyTorch element types as a checkpoint names them: by legacy storage class
 * ({@code torch.FloatStorage}, read by {@code _rebuild_tensor_v2}) or by dtype
 * ({@code torch.float8_e4m3fn}, passed to {@code _rebuild_tensor_v3} with an untyped storage).
 * Every type has a byte size so storages can be checked; {@link #dtype} is the readable
 * counterpart, null for types geocont has no element type for (complex, quantized, bits).
 */
enum TorchDtype {
    FLOAT64("float64", "DoubleStorage", 8, Dtype.F64),
    FLOAT32("float32", "FloatStorage", 4, Dtype.F32),
    FLOAT16("float16", "HalfStorage", 2, Dtype.F16),
    BFLOAT16("bfloat16", "BFloat16Storage", 2, Dtype.BF16),
    INT64("int64", "LongStorage", 8, Dtype.I64),
    INT32("int32", "IntStorage", 4, Dtype.I32),
    INT16("int16", "ShortStorage", 2, Dtype.I16),
    INT8("int8", "CharStorage", 1, Dtype.I8),
    UINT8("uint8", "ByteStorage", 1, Dtype.U8),
    BOOL("bool", "BoolStorage", 1, Dtype.BOOL),
    COMPLEX128("complex128", "ComplexDoubleStorage", 16, null),
    COMPLEX64("complex64", "ComplexFloatStorage", 8, null),
    COMPLEX32("complex32", null, 4, null),
    QINT8("qint8", "QInt8Storage", 1, null),
    QUINT8("quint8", "QUInt8Storage", 1, null),
    QINT32("qint32", "QInt32Storage", 4, null),
    QUINT4X2("quint4x2", "QUInt4x2Storage", 1, null),
    QUINT2X4("quint2x4", "QUInt2x4Storage", 1, null),
    UINT16("uint16", null, 2, Dtype.U16),
    UINT32("uint32", null, 4, Dtype.U32),
    UINT64("uint64", null, 8, Dtype.U64),
    FLOAT8_E4M3FN("float8_e4m3fn", null, 1, Dtype.F8_E4M3),
    FLOAT8_E5M2("float8_e5m2", null, 1, Dtype.F8_E5M2),
    FLOAT8_E4M3FNUZ("float8_e4m3fnuz", null, 1, null),
    FLOAT8_E5M2FNUZ("float8_e5m2fnuz", null, 1, null),
    FLOAT8_E8M0FNU("float8_e8m0fnu", null, 1, null),
    FLOAT4_E2M1FN_X2("float4_e2m1fn_x2", null, 1, null),
    BITS8("bits8", null, 1, null),
    BITS16("bits16", null, 2, null),
    BITS1X8("bits1x8", null, 1, null),
    BITS2X4("bits2x4", null, 1, null),
    BITS4X2("bits4x2", null, 1, null);

    /** The name after "torch." ({@code float32}). */
    final String torchName;
    /** The legacy storage class name ({@code FloatStorage}), or null. */
    final String storageClass;
    final int size;
    final Dtype dtype;

    TorchDtype(String torchName, String storageClass, int size, Dtype dtype) {
        this.torchName = torchName;
        this.storageClass = storageClass;
        this.size = size;
        this.dtype = dtype;
    }

    boolean readable() { return dtype != null && dtype.readable(); }

    /** {@code torch.<name>}, canonical names only (what torch pickles), or null. */
    static TorchDtype ofTorchName(String name) {
        for (TorchDtype t : values()) if (t.torchName.equals(name)) return t;
        return null;
    }

    /** A legacy storage class ({@code HalfStorage}), or null. */
    static TorchDtype ofStorageClass(String name) {
        for (TorchDtype t : values()) if (name.equals(t.storageClass)) return t;
        return null;
    }

    @Override public String toString() { return torchName; }
}
