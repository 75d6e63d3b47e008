package dev.kbi.reader;

import java.io.IOException;

/**
 * A manifest line that names no file (not JSON, or no {@code "path"} string). It is still a row of
 * the job, so the job's count stays exact and the line shows up as a dead letter.
 */
public final class MalformedManifestLine extends IOException {

    private static final long serialVersionUID = 1L;

    MalformedManifestLine(String problem) {
        super(problem);
    }
}
