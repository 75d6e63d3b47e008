package dev.kbi.reader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of unreadable or forbidden input is refused with its own exception class, before any byte is read. */
class InputFilesTest {

    @TempDir
    Path temp;

    private Path root() throws IOException {
        return Files.createDirectories(temp.resolve("root"));
    }

    private InputFiles files(long maxFileBytes) throws IOException {
        return new InputFiles(AllowedRoots.forInput(root()), maxFileBytes);
    }

    private <E extends IOException> E refused(Class<E> type, Path path) throws IOException {
        IOException e = assertThrows(IOException.class, () -> files(1000).read(new InputListing.Entry(path, null)));
        assertEquals(type, e.getClass(), "exact class, it is the dead letter's error_class: " + e);
        return type.cast(e);
    }

    @Test
    void fileUnderTheRootIsRead() throws IOException {
        Path file = Files.write(root().resolve("a.png"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, files(1000).read(new InputListing.Entry(file, null)));
    }

    @Test
    void zeroByteFileIsReadAsIsForThePreprocessorToRefuse() throws IOException {
        Path file = Files.createFile(root().resolve("empty.jpg"));
        assertEquals(0, files(1000).read(new InputListing.Entry(file, null)).length);
    }

    @Test
    void symlinkInsideTheRootIsFollowed() throws IOException {
        Files.write(root().resolve("target.png"), new byte[] {7});
        Path link = Files.createSymbolicLink(root().resolve("link.png"), Path.of("target.png"));
        assertArrayEquals(new byte[] {7}, files(1000).read(new InputListing.Entry(link, null)));
    }

    @Test
    void dotDotOutOfTheRootIsRefusedUnread() throws IOException {
        Files.write(temp.resolve("secret.png"), new byte[] {1});
        PathOutsideAllowedRoots e = refused(PathOutsideAllowedRoots.class, root().resolve("../secret.png"));
        assertTrue(e.getMessage().contains("outside the reader's allowed roots [" + root().toRealPath() + "]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("reader.allowed-roots"), e.getMessage());
    }

    @Test
    void etcPasswdFromAManifestIsRefused() throws IOException {
        Path manifest = Files.writeString(root().resolve("job.jsonl"), "{\"path\": \"../../../../../../etc/passwd\"}\n");
        InputListing.Entry entry = InputListing.list(manifest, Set.of("png")).get(0);
        IOException e = assertThrows(IOException.class, () -> files(1 << 20).read(entry));
        assertEquals(PathOutsideAllowedRoots.class, e.getClass(), e.toString());
        assertTrue(e.getMessage().startsWith("/etc/passwd is outside"), e.getMessage());
    }

    @Test
    void pathOutsideOnItsFaceIsRefusedEvenWhenItDoesNotExist() throws IOException {
        PathOutsideAllowedRoots e = refused(PathOutsideAllowedRoots.class, root().resolve("../../no/such.png"));
        assertTrue(e.getMessage().contains("(resolves to " + temp.getParent().resolve("no/such.png") + ")"),
                e.getMessage());
    }

    @Test
    void symlinkLeadingOutOfTheRootIsRefusedNamingItsRealPath() throws IOException {
        Path outside = Files.write(temp.resolve("outside.png"), new byte[] {1});
        Path link = Files.createSymbolicLink(root().resolve("escape.png"), outside);
        PathOutsideAllowedRoots e = refused(PathOutsideAllowedRoots.class, link);
        assertTrue(e.getMessage().contains("(resolves to " + outside.toRealPath() + ")"), e.getMessage());
    }

    @Test
    void inputFolderThatIsASymlinkIsItsOwnRoot() throws IOException {
        Path file = Files.write(root().resolve("c.png"), new byte[] {5});
        Path link = Files.createSymbolicLink(temp.resolve("link"), root());
        InputFiles files = new InputFiles(AllowedRoots.forInput(link), 1000);
        assertArrayEquals(new byte[] {5}, files.read(new InputListing.Entry(link.resolve(file.getFileName()), null)));
    }

    @Test
    void anotherConfiguredRootIsAllowed() throws IOException {
        Path other = Files.createDirectories(temp.resolve("other"));
        Path file = Files.write(other.resolve("b.png"), new byte[] {9});
        InputFiles files = new InputFiles(new AllowedRoots(List.of(root(), other)), 1000);
        assertArrayEquals(new byte[] {9}, files.read(new InputListing.Entry(file, null)));
    }

    @Test
    void symlinkLoopIsRefusedWithTheFileSystemsReason() throws IOException {
        Path loop = Files.createSymbolicLink(root().resolve("loop.jpg"), Path.of("loop.jpg"));
        FileSystemException e = refused(FileSystemException.class, loop);
        assertTrue(e.getMessage().contains("Too many levels of symbolic links"), e.getMessage());
    }

    @Test
    void missingFileIsRefused() throws IOException {
        refused(NoSuchFileException.class, root().resolve("missing.jpg"));
    }

    @Test
    void directoryNamedLikeAnImageIsRefused() throws IOException {
        Path folder = Files.createDirectory(root().resolve("folder.jpg"));
        FileSystemException e = refused(FileSystemException.class, folder);
        assertEquals(folder + ": not a regular file but a directory", e.getMessage());
    }

    @Test
    void fifoNamedLikeAnImageIsRefusedWithoutBlocking() throws Exception {
        Path fifo = root().resolve("pipe.jpg");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo not available");
        FileSystemException e = refused(FileSystemException.class, fifo);
        assertTrue(e.getMessage().endsWith("not a regular file but a FIFO, socket or device"), e.getMessage());
    }

    @Test
    void fileAboveTheSizeLimitIsRefusedUnread() throws IOException {
        FileTooLarge e = refused(FileTooLarge.class, Files.write(root().resolve("big.png"), new byte[1001]));
        assertEquals("File of 1001 bytes exceeds reader.max-file-bytes=1000", e.getMessage());
    }

    @Test
    void unreadableFileIsRefusedWithAccessDenied() throws IOException {
        Path file = Files.write(root().resolve("secret.jpg"), new byte[] {1});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        // root (as on this project's build machine) reads any file whatever its mode: nothing to test there.
        assumeFalse(Files.isReadable(file), "running as root: permissions do not stop this process");
        refused(AccessDeniedException.class, file);
    }

    @Test
    void malformedManifestLineIsItsOwnError() throws IOException {
        IOException e = assertThrows(IOException.class,
                () -> files(1000).read(new InputListing.Entry(null, "job.jsonl:3: malformed JSON line: x")));
        assertEquals(MalformedManifestLine.class, e.getClass());
        assertEquals("job.jsonl:3: malformed JSON line: x", e.getMessage());
    }

    @Test
    void aRootThatDoesNotExistIsAConfigurationError() {
        Exception e = assertThrows(RuntimeException.class, () -> new AllowedRoots(List.of(temp.resolve("nope"))));
        assertTrue(e.getMessage().contains("reader.allowed-roots entry"), e.getMessage());
    }
}
