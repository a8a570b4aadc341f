package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static io.geocont.io.checkpoint.TorchStoreTest.mentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Broken and hostile torch.save files: each is one CheckpointException naming the file, the tensor or offset, and what was expected. */
class TorchBadInputTest {
    private static final Path NAME = Path.of("crafted.pt");

    /** Opens {@code bytes} and reads every matrix; returns the store's failure. */
    static CheckpointException fails(byte[] bytes) {
        return assertThrows(CheckpointException.class, () -> {
            try (TorchStore s = TorchStore.of(NAME, MemorySegment.ofArray(bytes))) {
                for (String n : s.names()) s.readMatrix(n);
            }
        });
    }

    private static Map<String, byte[]> dtypes() { return TorchFixtures.entries("dtypes.pt"); }

    /** An archive holding only {@code pickle} and a 24-byte storage "0" (6 floats 0..5). */
    private static byte[] withStorage6(byte[] pickle) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) b.putFloat(i);
        return new StoredZip().put("archive/data.pkl", pickle).put("archive/byteorder", "little".getBytes()).put("archive/data/0", b.array()).build();
    }

    private static byte[] oneTensor(long offset, long[] size, long[] stride) {
        PickleBuilder p = new PickleBuilder().proto(2);
        return p.dict(() -> p.str("w").tensor("FloatStorage", "0", 6, offset, size, stride)).stop().build();
    }

    @Test void truncatedFilesAndEntries() {
        byte[] ok = TorchFixtures.bytes("dtypes.pt");
        mentions(fails(Arrays.copyOf(ok, ok.length / 2)), "crafted.pt", "no zip end-of-central-directory record", "truncated");
        mentions(fails(new StoredZip(dtypes()).lie("dtypes/data/6", 1 << 20).build()),
                "crafted.pt", "zip entry 'dtypes/data/6'", "1048576 bytes", "run past the entry area");
        mentions(fails(new byte[0]), "crafted.pt", "not a PyTorch checkpoint", "an empty file");
        mentions(fails("GGUF....".getBytes()), "not a PyTorch checkpoint", "bytes 47 47 55 46");
    }

    @Test void wrongOrMissingStorages() {
        mentions(fails(new StoredZip(dtypes()).put("dtypes/data/0", new byte[40]).build()),
                "crafted.pt", "tensor 'f32'", "storage '0' is declared as 12 x float32 = 48 bytes", "dtypes/data/0 holds 40 bytes");
        mentions(fails(new StoredZip(dtypes()).remove("dtypes/data/1").build()),
                "crafted.pt", "tensor 'f16'", "storage '1'", "dtypes/data/1", "missing");
        mentions(fails(new StoredZip(dtypes()).compressed("dtypes/data/2").build()), "zip entry 'dtypes/data/2'", "compressed (method 8)");
        mentions(fails(new StoredZip(dtypes()).put("dtypes/byteorder", "big".getBytes()).build()), "byteorder is 'big'", "little-endian");
    }

    @Test void viewsOutsideTheirStorage() throws Exception {
        mentions(fails(withStorage6(oneTensor(0, new long[] {3, 3}, new long[] {3, 1}))),
                "crafted.pt", "tensor 'w'", "size [3, 3] stride [3, 1] offset 0 reaches element 8", "holds 6 float32 elements");
        mentions(fails(withStorage6(oneTensor(5, new long[] {2}, new long[] {1}))), "tensor 'w'", "offset 5 reaches element 6");
        mentions(fails(withStorage6(oneTensor(0, new long[] {2, 2}, new long[] {Long.MAX_VALUE / 2, 1}))), "tensor 'w'", "overflows");
        mentions(fails(withStorage6(oneTensor(0, new long[] {30000, 30000}, new long[] {0, 0}))),
                "tensor 'w'", "view [30000, 30000] stride [0, 0] has 900000000 elements, more than the", "file holds");
        try (TorchStore s = TorchStore.of(NAME, MemorySegment.ofArray(withStorage6(oneTensor(1, new long[] {2, 3}, new long[] {0, 1}))))) {
            assertEquals(new io.geocont.linalg.Matrix(2, 3, new float[] {1, 2, 3, 1, 2, 3}), s.readMatrix("w"), "a small expand() reads");
        }
        // the same storage read through a legal strided view: columns 0 and 2 of the 2 x 3 matrix [[0,1,2],[3,4,5]]
        try (TorchStore s = TorchStore.of(NAME, MemorySegment.ofArray(withStorage6(oneTensor(0, new long[] {2, 2}, new long[] {3, 2}))))) {
            assertEquals(new io.geocont.linalg.Matrix(2, 2, new float[] {0, 2, 3, 5}), s.readMatrix("w"));
        }
    }

    @Test void nonFiniteWeightsNameTensorAndIndex() {
        byte[] nan = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN).putFloat(20, Float.NaN).array();
        mentions(fails(new StoredZip(dtypes()).put("dtypes/data/0", nan).build()), "tensor 'f32'", "NaN", "[1, 1]");
    }

    @Test void zip64DirectoriesReadLikePlainOnes() throws Exception {
        try (TorchStore s = TorchStore.of(NAME, MemorySegment.ofArray(new StoredZip(dtypes()).zip64().build()))) {
            assertEquals(TorchFixtures.value(3, 4), s.readMatrix("bf16"));
        }
    }

    @Test void lyingLengthsInThePickleAreErrorsNotAllocations() {
        byte[] x = new PickleBuilder().proto(2).op('X', 0xff, 0xff, 0xff, 0x7f, 'a', 'b').build();
        mentions(fails(withStorage6(x)), "crafted.pt: archive/data.pkl: pickle offset 2", "length 2147483647 runs past the end");
        byte[] b8 = new PickleBuilder().proto(4).op(0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40).build();
        mentions(fails(withStorage6(b8)), "length 4611686018427387904 runs past the end");
        byte[] frame = new PickleBuilder().proto(4).op(0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).build();
        mentions(fails(withStorage6(frame)), "FRAME of 9223372036854775807 bytes");
        byte[] numel = new PickleBuilder().proto(2).dict(() -> { }).build();
        mentions(fails(withStorage6(numel)), "without its STOP", "truncated");
        PickleBuilder p = new PickleBuilder().proto(2);
        byte[] huge = p.dict(() -> p.str("w").tensor("DoubleStorage", "0", Long.MAX_VALUE / 4, 0, new long[] {1}, new long[] {1})).stop().build();
        mentions(fails(withStorage6(huge)), "storage '0' of 2305843009213693951 elements overflows");
    }

    @Test void picklesThatReachForCodeAreRefused() {
        PickleBuilder p = new PickleBuilder().proto(2);
        byte[] qtensor = p.dict(() -> p.str("w").global("torch._utils", "_rebuild_qtensor")).stop().build();
        mentions(fails(withStorage6(qtensor)), "archive/data.pkl", "global torch._utils._rebuild_qtensor is not supported");
        byte[] module = new PickleBuilder().proto(2).global("__main__", "Net").op(')', 0x81).stop().build();
        mentions(fails(withStorage6(module)), "global __main__.Net is refused", "save model.state_dict() instead");
        byte[] hf = new PickleBuilder().proto(2).global("transformers.models.llama.modeling_llama", "LlamaForCausalLM").stop().build();
        mentions(fails(withStorage6(hf)), "global transformers.models.llama.modeling_llama.LlamaForCausalLM is refused", "save model.state_dict()");
        byte[] newobj = new PickleBuilder().proto(2).global("collections", "OrderedDict").op(')', 0x81).stop().build();
        mentions(fails(withStorage6(newobj)), "opcode NEWOBJ instantiates a class; refused");
        byte[] inst = new PickleBuilder().proto(2).op('(', 'i').build();
        mentions(fails(withStorage6(inst)), "opcode INST instantiates a class");
        byte[] callStorage = new PickleBuilder().proto(2).global("torch", "FloatStorage").op(')', 'R').stop().build();
        mentions(fails(withStorage6(callStorage)), "torch.FloatStorage is not callable");
        byte[] stackGlobal = new PickleBuilder().proto(4).shortStr("posix").shortStr("system").op(0x93).stop().build();
        mentions(fails(withStorage6(stackGlobal)), "global posix.system is refused");
    }

    @Test void anArchiveWithoutTensorsSaysWhatItHolds() {
        PickleBuilder p = new PickleBuilder().proto(2);
        byte[] epoch = p.dict(() -> p.str("epoch").integer(3)).stop().build();
        mentions(fails(withStorage6(epoch)), "crafted.pt", "holds no tensors", "dict of 1", "epoch");
        mentions(fails(new StoredZip().put("x/other.pkl", new byte[] {1}).build()), "expected one <folder>/data.pkl, found none");
    }
}
