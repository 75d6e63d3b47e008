package dev.kbi.reader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A listed path whose real location (symlinks followed) is under none of {@code reader.allowed-roots}:
 * the file is never opened. The class name is the dead letter's {@code error_class}, so it is kept
 * short and stable.
 */
public final class PathOutsideAllowedRoots extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param resolved where {@code listed} leads: normalized, or its real path once symlinks are followed */
    PathOutsideAllowedRoots(Path listed, Path resolved, List<Path> roots) {
        super(listed + (listed.equals(resolved) ? "" : " (resolves to " + resolved + ")")
                + " is outside the reader's allowed roots " + roots + " (reader.allowed-roots)");
    }
}
