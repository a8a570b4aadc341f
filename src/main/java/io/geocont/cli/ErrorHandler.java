package io.geocont.cli;

import picocli.CommandLine;

/**
 * Turns an exception from a command into one clear line on stderr and exit code 1 (2 for bad
 * input), instead of a stack trace. GEOCONT_DEBUG=1 prints the trace too.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        String msg = ex instanceof java.nio.file.NoSuchFileException f ? f.getFile() + ": no such file or folder"
                : ex instanceof java.nio.file.AccessDeniedException f ? f.getFile() + ": permission denied"
                : ex.getMessage() == null ? ex.toString() : ex.getMessage();
        cl.getErr().println("geocont " + cl.getCommandName() + ": error: " + msg);
        if (System.getenv("GEOCONT_DEBUG") != null) ex.printStackTrace(cl.getErr());
        return ex instanceof IllegalArgumentException || ex instanceof java.io.IOException ? 2 : 1;
    }
}
