package io.geocont.data;

import java.io.IOException;

/** An IDX file that is not what it should be; the message names the file, the offset and what was expected. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String message) { super(message); }
}
