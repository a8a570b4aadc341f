package io.geocont.backend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend that holds every deferred GEMM until {@link Backend#awaitDeferred} and only then runs
 * them (on the caller, in order): the latest a deferred op may run. A model that writes a deferred
 * GEMM's operand before it awaits gets other gradients on it than on an immediate backend, every
 * time, where a real lane would show the race only when its worker is late.
 */
public final class LazyDeferral {
    private LazyDeferral() { }

    private static final Class<?>[] GEMM_PARAMETERS = {boolean.class, boolean.class, int.class, int.class, int.class, float.class,
            Tensor.class, long.class, int.class, Tensor.class, long.class, int.class, float.class, Tensor.class, long.class, int.class};

    public static Backend over(Backend real) {
        List<Object[]> held = new ArrayList<>();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "gemmDeferred" -> { held.add(args.clone()); return null; }
                case "awaitDeferred" -> {
                    Method gemm = Backend.class.getMethod("gemm", GEMM_PARAMETERS);
                    for (Object[] a : held) invoke(gemm, real, a);
                    held.clear();
                    return null;
                }
                default -> { return invoke(m, real, args); }
            }
        });
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
