package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restricted unpickler on hand-assembled opcodes: values, memo, marks, and inputs built to exhaust time or stack. */
class TorchPickleTest {
    static Object load(byte[] pickle) throws CheckpointException {
        return RestrictedUnpickler.load("test.pkl", MemorySegment.ofArray(pickle), new TorchGlobals());
    }

    @Test void buildsPlainDataFromProtocol2To5Opcodes() throws Exception {
        PickleBuilder p = new PickleBuilder().proto(4).op(0x95, 0, 0, 0, 0, 0, 0, 0, 0); // FRAME (length unchecked beyond the end)
        p.op('}', 0x94).mark(); // {...} memoized as 0
        p.shortStr("ints").mark().integer(7).op('M', 0x34, 0x12).integer(-5).op(0x8a, 1, 0xff).op(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1).tuple();
        p.shortStr("float").op('G', 0x3f, 0xf8, 0, 0, 0, 0, 0, 0);
        p.shortStr("bytes").op('C', 2, 'h', 'i');
        p.shortStr("consts").op('N', 0x88, 0x89, 0x87); // (None, True, False)
        p.shortStr("list").op(']', 'q', 9).mark().integer(1).integer(2).op('e').integer(3).op('a');
        p.shortStr("again").op('h', 9); // the same list through the memo
        p.shortStr("set").mark().integer(4).op(0x91);
        p.shortStr("dup").integer(8).op('2', 0x86); // (8, 8)
        p.integer(99).op('0'); // pushed and popped
        p.mark().integer(1).op('1'); // popped to the mark
        p.op('u', '.');
        Object v = load(p.build());
        Map<?, ?> d = assertInstanceOf(Map.class, v);
        PyValues.Tuple ints = (PyValues.Tuple) d.get("ints");
        assertEquals(List.of(7L, 0x1234L, -5L, -1L, BigInteger.ONE.shiftLeft(64)), ints.items);
        assertEquals(1.5, d.get("float"));
        assertArrayEquals("hi".getBytes(), (byte[]) d.get("bytes"));
        assertEquals(List.of(PyValues.NONE, true, false), ((PyValues.Tuple) d.get("consts")).items);
        assertEquals(List.of(1L, 2L, 3L), d.get("list"));
        assertSame(d.get("list"), d.get("again"));
        assertEquals(List.of(4L), ((PyValues.PySet) d.get("set")).items);
        assertEquals(List.of(8L, 8L), ((PyValues.Tuple) d.get("dup")).items);
        assertEquals(List.of("ints", "float", "bytes", "consts", "list", "again", "set", "dup"), List.copyOf(d.keySet()));
    }

    @Test void memoIndicesAreIndicesNotLengths() throws Exception {
        // LONG_BINPUT 70000 then LONG_BINGET 70000 in a 20-byte pickle: an index may exceed the bytes left
        Object v = load(new PickleBuilder().proto(2).str("x").op('r', 0x70, 0x11, 0x01, 0x00, '0', 'j', 0x70, 0x11, 0x01, 0x00, '.').build());
        assertEquals("x", v);
    }

    @Test void stackAndMemoMisuseAreErrorsWithTheirOffset() {
        var e = assertThrows(CheckpointException.class, () -> load(new PickleBuilder().proto(2).op('a', '.').build()));
        TorchStoreTest.mentions(e, "test.pkl: pickle offset 2", "stack underflow");
        e = assertThrows(CheckpointException.class, () -> load(new PickleBuilder().proto(2).op('h', 3, '.').build()));
        TorchStoreTest.mentions(e, "memo key 3 was never stored");
        e = assertThrows(CheckpointException.class, () -> load(new PickleBuilder().proto(2).integer(1).integer(2).op('a', '.').build()));
        TorchStoreTest.mentions(e, "APPEND onto int 1, expected a list");
        e = assertThrows(CheckpointException.class, () -> load(new PickleBuilder().proto(2).op('}').mark().op(')', 'K', 1, 'u', '.').build()));
        TorchStoreTest.mentions(e, "dict key of type tuple of 0 is not supported");
        e = assertThrows(CheckpointException.class, () -> load(new PickleBuilder().proto(6).stop().build()));
        TorchStoreTest.mentions(e, "pickle protocol 6");
        e = assertThrows(CheckpointException.class, () -> load(new PickleBuilder().proto(2).op(0xff).build()));
        TorchStoreTest.mentions(e, "unknown pickle opcode 0xff");
    }

    @Test @Timeout(10) void cyclicSharedAndDeepValuesCostLinearTime() throws Exception {
        // a list that contains itself
        Object cyclic = load(new PickleBuilder().proto(2).op(']', 'q', 0, 'h', 0, 'a', '.').build());
        assertTrue(StateDicts.find(cyclic).isEmpty());
        // 200 levels of L[i+1] = [L[i], L[i]]: 2^200 paths, 200 distinct lists
        PickleBuilder shared = new PickleBuilder().proto(2).op(']');
        for (int i = 0; i < 200; i++) shared.op('q', 0, ']', 'h', 0, 'h', 0, 0x86, 'a');
        assertTrue(StateDicts.find(load(shared.stop().build())).isEmpty());
        // 100,000 nested lists: the walk stops at its depth bound instead of overflowing the Java stack
        PickleBuilder deep = new PickleBuilder().proto(2);
        for (int i = 0; i < 100_000; i++) deep.op(']');
        for (int i = 0; i < 99_999; i++) deep.op('a');
        assertTrue(StateDicts.find(load(deep.stop().build())).isEmpty());
    }

    @Test void tensorsAreFoundUnderWrappersOrByTheirPath() throws Exception {
        PickleBuilder p = new PickleBuilder().proto(2);
        p.dict(() -> {
            p.str("optimizer").dict(() -> p.str("exp_avg").tensor("FloatStorage", "1", 4, 0, new long[] {4}, new long[] {1}));
            p.str("model").dict(() -> p.str("fc.weight").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1}));
        }).stop();
        Map<String, TorchTensor> sd = StateDicts.find(load(p.build()));
        assertEquals(List.of("fc.weight"), List.copyOf(sd.keySet()), "the 'model' wrapper, not the optimizer");
        assertArrayEquals(new long[] {3, 1}, sd.get("fc.weight").stride());

        PickleBuilder q = new PickleBuilder().proto(2);
        q.dict(() -> q.str("ema").op(']').tensor("HalfStorage", "0", 2, 0, new long[] {2}, new long[] {1}).op('a')).stop();
        Map<String, TorchTensor> flat = StateDicts.find(load(q.build()));
        assertEquals(List.of("ema.0"), List.copyOf(flat.keySet()), "no known wrapper: every tensor by its dotted path");
        assertEquals(TorchDtype.FLOAT16, flat.get("ema.0").dtype());
    }
}
