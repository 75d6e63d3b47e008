package dev.kbi.reader;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one listed input's bytes, refusing before any byte is read: manifest lines that name no
 * file, paths outside the allowed roots, and files above {@code reader.max-file-bytes}. Everything
 * else the file system refuses (missing file, symlink loop, permission, a directory) surfaces as
 * its own {@link IOException}, which the caller dead-letters with its class and message.
 */
public final class InputFiles {

    private final AllowedRoots roots;
    private final long maxFileBytes;

    public InputFiles(AllowedRoots roots, long maxFileBytes) {
        this.roots = roots;
        this.maxFileBytes = maxFileBytes;
    }

    public byte[] read(InputListing.Entry entry) throws IOException {
        if (entry.path() == null) {
            throw new MalformedManifestLine(entry.error());
        }
        Path real = roots.resolve(entry.path());
        if (!Files.isRegularFile(real)) {
            // Refused before reading: a FIFO or device named like an image would block the reader or never end.
            throw new FileSystemException(entry.path().toString(), null, "not a regular file but a "
                    + (Files.isDirectory(real) ? "directory" : "FIFO, socket or device"));
        }
        // The real path is read, not the listed one: a symlink swapped after the check cannot redirect it.
        long size = Files.size(real);
        if (size > maxFileBytes) {
            throw new FileTooLarge(size, maxFileBytes);
        }
        return Files.readAllBytes(real);
    }
}
