package dev.vitrt.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler, restricted to what a checkpoint needs. A pickle can name any Python callable, so every
 * global is checked against an allow-list before anything is built: the functions that rebuild tensors and
 * parameters, storage and dtype names, {@code collections.OrderedDict}, and inert records ({@code argparse.Namespace},
 * read as a plain map). Any other global ends the load with {@link RefusedGlobalException}, naming it. Pyrolite's
 * own registry of constructors is never consulted. Lengths read from the stream are checked against the bytes left
 * before anything is allocated, and the number of opcodes is capped, so what a pickle allocates is bounded by a small
 * multiple of {@link #MAX_OPCODES} and of its own size (which the caller bounds).
 */
final class TorchUnpickler extends Unpickler {
    /** The pickle named a global that is not on the allow-list. */
    static final class RefusedGlobalException extends PickleException {
        final String global;

        RefusedGlobalException(String global) {
            super(global);
            this.global = global;
        }
    }

    /** An inert record such as {@code argparse.Namespace}: its attributes as a map, never interpreted. */
    static final class Record extends LinkedHashMap<String, Object> {
        final String type;

        Record(String type) {
            this.type = type;
        }
    }

    private record Global(String name, Object value) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            if (value instanceof IObjectConstructor c) {
                return c.construct(args);
            }
            throw new PickleException("'" + name + "' is not callable");
        }
    }

    /** A persistent id {@code ('storage', type, key, location, numel)}: where a storage's bytes are. */
    record StorageRef(TorchDType dtype, String key, long numel) {
    }

    /** About 200 times what the pickle of a large training checkpoint (weights, EMA, optimizer) executes. */
    static final long MAX_OPCODES = 4_000_000;

    private final Function<StorageRef, TorchStorage> storages;
    private long opcodes;

    TorchUnpickler(Function<StorageRef, TorchStorage> storages) {
        this.storages = storages;
    }

    /** Unpickles {@code data} (data.pkl, memory-mapped). */
    Object load(ByteBuffer data) throws IOException {
        return load(new BufferInput(data));
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                || !(t[1] instanceof Global g) || !(g.value() instanceof TorchDType dtype)) {
            throw new PickleException("unknown persistent id (expected a storage reference)");
        }
        return storages.apply(new StorageRef(dtype, String.valueOf(t[2]), number(t[4])));
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        if (++opcodes > MAX_OPCODES) {
            throw new PickleException("the pickle runs more than " + MAX_OPCODES + " opcodes; a checkpoint needs far fewer");
        }
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(name instanceof String n) || !(module instanceof String m)) {
                    throw new PickleException("STACK_GLOBAL with a non-string name");
                }
                stack.add(global(m, n));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                Global g = global(module, name);
                List<Object> args = stack.pop_all_since_marker();
                stack.add(g.construct(args.toArray()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_DICT -> {
                stack.add(new LinkedHashMap<>()); // keys in file order, for messages that name the first ones
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                if (items.size() % 2 != 0 || !(stack.peek() instanceof Map<?, ?> target)) {
                    throw new PickleException("SETITEMS without a dict or with an odd number of items");
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) target;
                for (int i = 0; i < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                build(stack.peek(), state);
                return NO_RETURN_VALUE;
            }
            case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
                    throw new RefusedGlobalException("copyreg extension code (EXT opcode)");
            case Opcodes.BINSTRING, Opcodes.BINUNICODE, Opcodes.BINBYTES, Opcodes.LONG4 -> checkLength(4);
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(8);
            default -> {
            }
        }
        return super.dispatch(key);
    }

    /** The state of BUILD: kept for records, ignored on ordered dicts (a state dict's {@code _metadata}). */
    @SuppressWarnings("unchecked")
    private static void build(Object target, Object state) {
        if (target instanceof Record r) {
            if (state instanceof Map<?, ?> m) {
                ((Map<Object, Object>) (Map<?, ?>) r).putAll(m);
            }
            return;
        }
        if (target instanceof Map<?, ?> || target instanceof TorchTensor) {
            return;
        }
        throw new PickleException("BUILD on " + (target == null ? "None" : target.getClass().getSimpleName()));
    }

    private void checkLength(int bytes) {
        BufferInput in = (BufferInput) input;
        long len = bytes == 4 ? in.peekInt() & 0xFFFFFFFFL : in.peekLong();
        if (len < 0 || len > in.remaining() - bytes) {
            throw new PickleException("a length of " + len + " bytes runs past the end of the pickle ("
                    + in.remaining() + " bytes left)");
        }
    }

    private Global global(String module, String name) {
        String full = module + "." + name;
        Object v = resolve(module, name);
        if (v == null) {
            throw new RefusedGlobalException(full);
        }
        return new Global(full, v);
    }

    private static Object resolve(String module, String name) {
        switch (module + "." + name) {
            case "collections.OrderedDict":
                return (IObjectConstructor) args -> new LinkedHashMap<>();
            case "torch._utils._rebuild_tensor_v2":
                return (IObjectConstructor) args -> tensor(args, null);
            case "torch._utils._rebuild_tensor_v3":
                return (IObjectConstructor) args -> tensor(args, args.length > 6 ? args[6] : null);
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
                return (IObjectConstructor) args -> args[0];
            case "torch._tensor._rebuild_from_type_v2":
                return (IObjectConstructor) args -> {
                    if (!(args[0] instanceof Global f) || !(args[2] instanceof Object[] inner)) {
                        throw new PickleException("malformed _rebuild_from_type_v2");
                    }
                    return f.construct(inner);
                };
            case "torch.nn.parameter.Parameter", "torch.Tensor":
                return (IObjectConstructor) args -> {
                    throw new PickleException(module + "." + name + " is a type marker, not called");
                };
            case "torch.device":
                return (IObjectConstructor) args -> args.length > 0 ? String.valueOf(args[0]) : "cpu";
            case "torch.Size":
                return (IObjectConstructor) args -> args.length > 0 ? args[0] : new Object[0];
            case "torch.UntypedStorage":
                return TorchDType.UINT8;
            case "argparse.Namespace":
                return (IObjectConstructor) args -> new Record("argparse.Namespace");
            case "builtins.set", "__builtin__.set", "builtins.frozenset":
                return (IObjectConstructor) args -> args.length > 0 && args[0] instanceof Collection<?> c
                        ? new HashSet<>(c) : new HashSet<>();
            case "_codecs.encode":
                return (IObjectConstructor) args -> args.length > 0 && args[0] instanceof String s
                        ? s.getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
            default:
                break;
        }
        if (module.equals("torch")) {
            TorchDType t = TorchDType.ofStorage(name);
            if (t == null) {
                t = TorchDType.ofDtype(name);
            }
            return t;
        }
        return null;
    }

    private static TorchTensor tensor(Object[] args, Object dtypeArg) {
        if (args.length < 4 || !(args[0] instanceof TorchStorage s) || !(args[2] instanceof Object[] size)
                || !(args[3] instanceof Object[] stride)) {
            throw new PickleException("malformed tensor record");
        }
        TorchDType dtype = s.dtype();
        if (dtypeArg instanceof Global g && g.value() instanceof TorchDType t) {
            dtype = t;
        }
        return new TorchTensor(s, dtype, number(args[1]), longs(size), longs(stride));
    }

    private static long[] longs(Object[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = number(a[i]);
        }
        return out;
    }

    private static long number(Object o) {
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Long l) {
            return l;
        }
        throw new PickleException("expected an integer, got " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    /** data.pkl as a stream that knows how much is left (for the length checks). */
    private static final class BufferInput extends InputStream {
        private final ByteBuffer b;

        BufferInput(ByteBuffer b) {
            this.b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        long remaining() {
            return b.remaining();
        }

        int peekInt() {
            return b.remaining() >= 4 ? b.getInt(b.position()) : -1;
        }

        long peekLong() {
            return b.remaining() >= 8 ? b.getLong(b.position()) : -1;
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(dst, off, n);
            return n;
        }

        @Override
        public int available() {
            return b.remaining();
        }
    }

}
