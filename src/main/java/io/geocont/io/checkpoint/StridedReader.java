package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.util.Arrays;

/**
 * Reads a placed torch tensor as a float32 matrix (rows = shape[0]; a 1-D tensor is one row).
 * A contiguous view goes through {@link TensorReader} unchanged; any other view (a transpose, a
 * column slice, a step) is gathered by its strides: runs along rows when the last stride is 1,
 * runs along columns when the first is (a transpose), element by element otherwise. The view
 * was bounds-checked against its storage when the archive was opened.
 */
final class StridedReader {
    private StridedReader() { }

    static Matrix read(TorchArchive.Placed p) throws CheckpointException {
        TorchTensor t = p.view();
        String where = p.where();
        if (!t.dtype().readable())
            throw new CheckpointException(where + ": dtype " + t.dtype() + " cannot be read as weights (expected float32, float16, bfloat16 or float64)");
        long[] shape = t.shape(), stride = t.stride();
        if (shape.length < 1 || shape.length > 2)
            throw new CheckpointException(where + ": expected a 2-D weight matrix, shape is " + Arrays.toString(shape));
        long rows = shape.length == 1 ? 1 : shape[0], cols = shape[shape.length - 1];
        long rowStride = shape.length == 1 ? 0 : stride[0], colStride = stride[shape.length - 1];
        int size = t.dtype().size;
        long begin = p.storageBegin() + t.offset() * size;
        boolean contiguous = (cols <= 1 || colStride == 1) && (rows <= 1 || rowStride == cols);
        if (contiguous)
            return TensorReader.read(p.bytes(), new TensorInfo(p.file(), p.name(), t.dtype().dtype, shape, begin, rows * cols * size));
        // A view with a zero stride (torch's expand) repeats its storage: cap it by the file so a forged shape cannot exhaust memory.
        if (rows * cols > p.bytes().byteSize() / size)
            throw new CheckpointException(where + ": view " + Arrays.toString(shape) + " stride " + Arrays.toString(stride) + " has "
                    + rows * cols + " elements, more than the " + p.bytes().byteSize() + "-byte file holds (an expanded view is not read)");
        TensorReader.checkArraySize(where, rows, cols);
        int r = (int) rows, c = (int) cols;
        float[] data = new float[r * c];
        Dtype d = t.dtype().dtype;
        if (colStride == 1) {
            for (int i = 0; i < r; i++) d.toFloats(p.bytes(), begin + i * rowStride * size, data, i * c, c);
        } else if (rowStride == 1) {
            float[] column = new float[r];
            for (int j = 0; j < c; j++) {
                d.toFloats(p.bytes(), begin + j * colStride * size, column, 0, r);
                for (int i = 0; i < r; i++) data[i * c + j] = column[i];
            }
        } else {
            for (int i = 0; i < r; i++)
                for (int j = 0; j < c; j++) d.toFloats(p.bytes(), begin + (i * rowStride + j * colStride) * size, data, i * c + j, 1);
        }
        TensorReader.checkFinite(where, data, c);
        return new Matrix(r, c, data);
    }
}
