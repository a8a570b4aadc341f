package io.geocont.backend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds backends at run time and picks one by name or by rank ("auto"). */
public final class Backends {
    private Backends() { }

    /** Every registered provider, highest rank first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                list.add(it.next());
            } catch (ServiceConfigurationError e) {
                // a provider listed but not loadable (e.g. left out of this build): skip it, keep the rest
            }
        }
        list.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return list;
    }

    /** Probes every provider (for doctor). */
    public static List<BackendStatus> probeAll() {
        List<BackendStatus> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            try {
                out.add(p.probe());
            } catch (RuntimeException | LinkageError e) {
                out.add(BackendStatus.unavailable(p.name(), "probe failed: " + e));
            }
        }
        return out;
    }

    /**
     * Opens the backend named {@code cpu}, {@code cuda}, ... or {@code auto} (the best available;
     * when a higher-ranked one is unavailable, says once on {@code notes} why it fell back).
     */
    public static Backend open(String name, PrintStream notes) {
        String want = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (want.equals("auto")) {
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : providers) {
                BackendStatus st;
                try {
                    st = p.quickProbe();
                } catch (RuntimeException | LinkageError e) {
                    st = BackendStatus.unavailable(p.name(), e.toString());
                }
                if (st.available()) {
                    try {
                        Backend b = p.create();
                        if (!skipped.isEmpty() && notes != null)
                            notes.println("backend auto: using " + p.name() + " (" + skipped + ")");
                        return b;
                    } catch (BackendUnavailableException e) {
                        st = BackendStatus.unavailable(p.name(), e.getMessage());
                    }
                }
                if (!skipped.isEmpty()) skipped.append("; ");
                skipped.append(p.name()).append(" unavailable: ").append(st.reason());
            }
            throw new BackendUnavailableException("no backend available: " + skipped);
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(want)) {
                BackendStatus st = p.probe();
                if (!st.available())
                    throw new BackendUnavailableException("backend '" + want + "' is unavailable: " + st.reason()
                            + " (run 'geocont doctor' for details)");
                return p.create();
            }
        }
        List<String> names = providers.stream().map(BackendProvider::name).toList();
        throw new IllegalArgumentException("unknown backend '" + name + "' (known: auto, " + String.join(", ", names) + ")");
    }
}
