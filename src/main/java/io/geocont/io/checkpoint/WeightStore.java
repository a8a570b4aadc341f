package io.geocont.io.checkpoint;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;

import java.util.Collection;

/**
 * Named tensors of a checkpoint, read one at a time (nothing is loaded until asked for).
 * {@link #readMatrix} returns a 2-D tensor in the layout its name has in the PyTorch state dict
 * (so a store over an ONNX export undoes the exporter's transposition itself).
 */
public interface WeightStore extends AutoCloseable {
    /** What was opened (a path), for messages and output. */
    String describe();

    /** Every tensor name, in file order. */
    Collection<String> names();

    boolean contains(String name);

    /** The stored shape of {@code name} in state-dict layout. */
    long[] shape(String name) throws CheckpointException;

    /** The tensor as a float32 matrix (rows = shape[0]); checks rank, dtype, bounds and finiteness. */
    Matrix readMatrix(String name) throws CheckpointException;

    /**
     * The tensor as a product operator for the SVD: stores that can read it in place in its
     * stored width override this; the default is the float32 copy of {@link #readMatrix}.
     */
    default GramOperator readOperand(String name) throws CheckpointException { return readMatrix(name); }

    @Override void close();
}
