package dev.kbi.reader;

import java.io.IOException;

/** A file larger than {@code reader.max-file-bytes}: dead-lettered without reading its bytes. */
public final class FileTooLarge extends IOException {

    private static final long serialVersionUID = 1L;

    FileTooLarge(long size, long maxFileBytes) {
        super("File of " + size + " bytes exceeds reader.max-file-bytes=" + maxFileBytes);
    }
}
