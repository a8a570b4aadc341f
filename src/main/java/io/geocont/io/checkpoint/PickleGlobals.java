package io.geocont.io.checkpoint;

import java.util.List;

/**
 * What a {@link RestrictedUnpickler} may do beyond building plain data: the few globals a file
 * may name, what calling them yields, persistent ids and BUILD. Implementations map names to
 * Java code written for them; nothing is looked up or instantiated by reflection, so a pickle
 * can only ever produce data.
 */
interface PickleGlobals {
    /** The token for global {@code module.name}, or a refusal naming it. */
    Object find(String module, String name) throws Refused;

    /** REDUCE: {@code callable(*args)} for a token {@link #find} returned. */
    Object call(Object callable, List<Object> args) throws Refused;

    /** BINPERSID: the object a persistent id stands for. */
    Object persistentLoad(Object pid) throws Refused;

    /** BUILD: applies {@code state} to {@code target} (in place) or refuses. */
    void build(Object target, Object state) throws Refused;

    /** A refusal; the unpickler adds the file and the pickle offset to its message. */
    final class Refused extends Exception {
        Refused(String message) { super(message, null, false, false); }
    }
}
