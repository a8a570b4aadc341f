package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine for the binary opcodes of protocols 2 to 5 that builds only data
 * ({@link PyValues}); every global, call, persistent id and BUILD goes through a
 * {@link PickleGlobals} policy. Opcodes that instantiate classes (INST, OBJ, NEWOBJ, NEWOBJ_EX),
 * the extension registry and out-of-band buffers are refused. Each opcode pushes at most one
 * value and every length is checked against the bytes left, so work and memory are linear in
 * the input: a forged length gives an error, not an allocation.
 */
final class RestrictedUnpickler {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int HIGHEST_PROTOCOL = 5;

    private final String where;
    private final MemorySegment data;
    private final PickleGlobals globals;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;
    private long opAt;

    private RestrictedUnpickler(String where, MemorySegment data, PickleGlobals globals) {
        this.where = where;
        this.data = data;
        this.globals = globals;
    }

    /** The value of the pickle at the start of {@code data}; {@code where} names it in errors (file and entry). */
    static Object load(String where, MemorySegment data, PickleGlobals globals) throws CheckpointException {
        return new RestrictedUnpickler(where, data, globals).run();
    }

    private CheckpointException error(String what) {
        return new CheckpointException(where + ": pickle offset " + opAt + ": " + what);
    }

    private Object run() throws CheckpointException {
        while (pos < data.byteSize()) {
            opAt = pos;
            int op = u8();
            try {
                if (op == '.') return pop();
                step(op);
            } catch (PickleGlobals.Refused r) {
                throw error(r.getMessage());
            }
        }
        throw new CheckpointException(where + ": pickle ends after " + data.byteSize() + " bytes without its STOP opcode (truncated?)");
    }

    private void step(int op) throws CheckpointException, PickleGlobals.Refused {
        switch (op) {
            case 0x80 -> { // PROTO
                int p = u8();
                if (p > HIGHEST_PROTOCOL) throw error("pickle protocol " + p + " is newer than " + HIGHEST_PROTOCOL);
            }
            case 0x95 -> { // FRAME: a length prefix for buffering; the data follows inline
                long n = data.get(I64, take(8));
                if (n < 0 || n > remaining()) throw error("FRAME of " + n + " bytes runs past the end (" + remaining() + " left)");
            }
            case '(' -> marks.add(stack.size());
            case '0' -> { if (stack.size() > markBase()) pop(); else popMark(); }
            case '1' -> popMark();
            case '2' -> push(peek());
            case 'N' -> push(PyValues.NONE);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) data.get(I32, take(4)));
            case 'K' -> push((long) u8());
            case 'M' -> push((long) (u8() | u8() << 8));
            case 0x8a -> push(littleEndianInt(u8()));
            case 0x8b -> push(littleEndianInt(length(4, true)));
            case 'G' -> push(data.get(F64_BE, take(8)));
            case 'X' -> push(utf8(length(4, false)));
            case 0x8c -> push(utf8(u8()));
            case 0x8d -> push(utf8(length(8, false)));
            case 'T' -> push(latin1(length(4, true)));
            case 'U' -> push(latin1(u8()));
            case 'B' -> push(bytes(length(4, false)));
            case 'C' -> push(bytes(u8()));
            case 0x8e, 0x96 -> push(bytes(length(8, false))); // BINBYTES8, BYTEARRAY8
            case ')' -> push(new PyValues.Tuple(List.of()));
            case 0x85 -> push(new PyValues.Tuple(popN(1)));
            case 0x86 -> push(new PyValues.Tuple(popN(2)));
            case 0x87 -> push(new PyValues.Tuple(popN(3)));
            case 't' -> push(new PyValues.Tuple(popMark()));
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                putPairs(m, popMark());
                push(m);
            }
            case 0x8f -> push(new PyValues.PySet());
            case 0x91 -> {
                PyValues.PySet s = new PyValues.PySet();
                s.items.addAll(popMark());
                push(s);
            }
            case 0x90 -> { // ADDITEMS
                List<Object> items = popMark();
                if (!(peek() instanceof PyValues.PySet s)) throw error("ADDITEMS onto " + PyValues.describe(peek()) + ", expected a set");
                s.items.addAll(items);
            }
            case 'a' -> {
                Object v = pop();
                list(peek(), "APPEND").add(v);
            }
            case 'e' -> {
                List<Object> items = popMark();
                list(peek(), "APPENDS").addAll(items);
            }
            case 's' -> {
                Object v = pop(), k = pop();
                putPairs(dict(peek(), "SETITEM"), List.of(k, v));
            }
            case 'u' -> {
                List<Object> items = popMark();
                putPairs(dict(peek(), "SETITEMS"), items);
            }
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(data.get(I32, take(4)) & 0xffffffffL));
            case 'q' -> memo.put((long) u8(), peek());
            case 'r' -> memo.put(data.get(I32, take(4)) & 0xffffffffL, peek());
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'c' -> {
                String module = line(), name = line();
                push(globals.find(module, name));
            }
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop(), module = pop();
                if (!(module instanceof String m && name instanceof String n))
                    throw error("STACK_GLOBAL needs two strings, got " + PyValues.describe(module) + " and " + PyValues.describe(name));
                push(globals.find(m, n));
            }
            case 'R' -> {
                Object args = pop(), callable = pop();
                if (!(args instanceof PyValues.Tuple t)) throw error("REDUCE arguments must be a tuple, got " + PyValues.describe(args));
                push(globals.call(callable, t.items));
            }
            case 'b' -> {
                Object state = pop();
                globals.build(peek(), state);
            }
            case 'Q' -> push(globals.persistentLoad(pop()));
            case 'i', 'o', 0x81, 0x92 -> throw error("opcode " + opName(op) + " instantiates a class; refused (geocont builds data only)");
            case 0x82, 0x83, 0x84 -> throw error("opcode " + opName(op) + " names a class through the extension registry; refused");
            case 0x97, 0x98 -> throw error("out-of-band buffers (" + opName(op) + ") are not supported");
            case 'P', 'I', 'L', 'F', 'S', 'V', 'g', 'p' ->
                    throw error("text opcode " + opName(op) + " of pickle protocol 0 is not supported (torch.save writes protocol 2)");
            default -> throw error(String.format("unknown pickle opcode 0x%02x", op));
        }
    }

    private static String opName(int op) {
        return switch (op) {
            case 'i' -> "INST"; case 'o' -> "OBJ"; case 0x81 -> "NEWOBJ"; case 0x92 -> "NEWOBJ_EX";
            case 0x82 -> "EXT1"; case 0x83 -> "EXT2"; case 0x84 -> "EXT4";
            case 0x97 -> "NEXT_BUFFER"; case 0x98 -> "READONLY_BUFFER";
            case 'P' -> "PERSID"; case 'I' -> "INT"; case 'L' -> "LONG"; case 'F' -> "FLOAT";
            case 'S' -> "STRING"; case 'V' -> "UNICODE"; case 'g' -> "GET"; case 'p' -> "PUT";
            default -> String.format("0x%02x", op);
        };
    }

    // ---- input -------------------------------------------------------------------------------

    private long remaining() { return data.byteSize() - pos; }

    /** Reserves {@code n} bytes and returns where they start. */
    private long take(long n) throws CheckpointException {
        if (n > remaining()) throw error("needs " + n + " more bytes, only " + remaining() + " left (truncated?)");
        long at = pos;
        pos += n;
        return at;
    }

    private int u8() throws CheckpointException { return data.get(ValueLayout.JAVA_BYTE, take(1)) & 0xff; }

    /** A little-endian length of {@code width} bytes (4 or 8), checked to fit in what is left of the input. */
    private long length(int width, boolean signed) throws CheckpointException {
        long n = width == 4 ? (signed ? data.get(I32, take(4)) : data.get(I32, take(4)) & 0xffffffffL) : data.get(I64, take(8));
        if (n < 0 || n > remaining()) throw error("length " + n + " runs past the end of the pickle (" + remaining() + " bytes left)");
        return n;
    }

    private byte[] bytes(long n) throws CheckpointException {
        if (n > remaining()) throw error("length " + n + " runs past the end of the pickle (" + remaining() + " bytes left)");
        if (n > Integer.MAX_VALUE - 8) throw error("a " + n + "-byte string is larger than geocont reads");
        return data.asSlice(take(n), n).toArray(ValueLayout.JAVA_BYTE);
    }

    private String utf8(long n) throws CheckpointException { return new String(bytes(n), StandardCharsets.UTF_8); }

    private String latin1(long n) throws CheckpointException { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    /** A newline-terminated ASCII line (GLOBAL's module and name). */
    private String line() throws CheckpointException {
        long start = pos;
        while (pos < data.byteSize())
            if (data.get(ValueLayout.JAVA_BYTE, pos++) == '\n')
                return new String(data.asSlice(start, pos - 1 - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        throw error("GLOBAL name runs to the end of the pickle without a newline (truncated?)");
    }

    /** LONG1/LONG4: {@code n} bytes of little-endian two's complement. */
    private Object littleEndianInt(long n) throws CheckpointException {
        if (n == 0) return 0L;
        if (n > 4096) throw error("a " + n + "-byte integer is larger than any size or offset in a checkpoint");
        byte[] le = bytes(n), be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    // ---- stack -------------------------------------------------------------------------------

    private int markBase() { return marks.isEmpty() ? 0 : marks.get(marks.size() - 1); }

    private void push(Object o) { stack.add(o); }

    private Object peek() throws CheckpointException {
        if (stack.size() <= markBase()) throw error("stack underflow (opcode needs a value)");
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws CheckpointException {
        if (stack.size() <= markBase()) throw error("stack underflow (opcode needs a value)");
        return stack.remove(stack.size() - 1);
    }

    private List<Object> popN(int n) throws CheckpointException {
        if (stack.size() - markBase() < n) throw error("stack underflow (needs " + n + " values)");
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> out = new ArrayList<>(top);
        top.clear();
        return out;
    }

    private List<Object> popMark() throws CheckpointException {
        if (marks.isEmpty()) throw error("no MARK to pop to");
        int base = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(base, stack.size());
        List<Object> out = new ArrayList<>(top);
        top.clear();
        return out;
    }

    private Object memoGet(long key) throws CheckpointException {
        Object v = memo.get(key);
        if (v == null) throw error("memo key " + key + " was never stored");
        return v;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String op) throws CheckpointException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw error(op + " onto " + PyValues.describe(o) + ", expected a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, String op) throws CheckpointException {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw error(op + " onto " + PyValues.describe(o) + ", expected a dict");
    }

    private void putPairs(Map<Object, Object> m, List<Object> kv) throws CheckpointException {
        if (kv.size() % 2 != 0) throw error("odd number of items (" + kv.size() + ") for key/value pairs");
        for (int i = 0; i < kv.size(); i += 2) {
            Object k = kv.get(i);
            if (!PyValues.scalar(k)) throw error("dict key of type " + PyValues.describe(k) + " is not supported (expected str or int)");
            m.put(k, kv.get(i + 1));
        }
    }
}
