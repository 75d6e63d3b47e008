package dev.kbi.reader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories the reader may read under ({@code reader.allowed-roots}). A listed path is
 * resolved to its real path first, following every symlink, so neither {@code ../} in a manifest
 * nor a symlink inside a root can reach a file elsewhere.
 */
public final class AllowedRoots {

    /** As configured (absolute, normalized): a path under a symlinked root is lexically under this form. */
    private final List<Path> given;
    private final List<Path> roots;

    /** @param roots existing directories; each is resolved to its real path once, here */
    public AllowedRoots(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("reader.allowed-roots must name at least one directory");
        }
        this.given = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
        this.roots = roots.stream().map(AllowedRoots::realDirectory).toList();
    }

    /** The default when none are configured: the input directory itself, or the manifest's folder. */
    static AllowedRoots forInput(Path input) {
        Path absolute = input.toAbsolutePath();
        return new AllowedRoots(List.of(Files.isDirectory(absolute) ? absolute : absolute.getParent()));
    }

    List<Path> roots() {
        return roots;
    }

    /**
     * The real path of {@code listed}, if it lies under a root.
     *
     * @throws PathOutsideAllowedRoots if it does not
     * @throws IOException as {@link Path#toRealPath} throws it: missing file, symlink loop,
     *     permission denied on a folder on the way
     */
    public Path resolve(Path listed) throws IOException {
        // First without touching the file system: a path that is outside on its face is not even
        // probed, so dead letters do not tell which files exist elsewhere.
        Path lexical = listed.toAbsolutePath().normalize();
        if (!isUnder(lexical, given) && !isUnder(lexical, roots)) {
            throw new PathOutsideAllowedRoots(listed, lexical, roots);
        }
        Path real = listed.toRealPath();
        if (!isUnder(real, roots)) {
            throw new PathOutsideAllowedRoots(listed, real, roots);
        }
        return real;
    }

    private static boolean isUnder(Path path, List<Path> dirs) {
        return dirs.stream().anyMatch(path::startsWith);
    }

    private static Path realDirectory(Path root) {
        try {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("reader.allowed-roots entry " + root + " is not a directory");
            }
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException("reader.allowed-roots entry " + root + " cannot be resolved: " + e, e);
        }
    }
}
