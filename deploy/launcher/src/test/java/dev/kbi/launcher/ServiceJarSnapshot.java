package dev.kbi.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of the packaged services, laid out as in a checkout, for tests that restart services: a
 * restarted service then runs the very build its predecessor ran, even when the checkout's services
 * are rebuilt meanwhile.
 */
final class ServiceJarSnapshot {

    private static final List<String> SERVICES = List.of("reader", "preprocessor", "inference", "writer");

    private ServiceJarSnapshot() {
    }

    /**
     * Copies {@code services/<name>/target/quarkus-app} of {@code projectRoot} under {@code dir} and
     * returns {@code dir}, to be used as the project root; the DJL cache stays the checkout's (the
     * native library is unpacked there once).
     */
    static Path copy(Path projectRoot, Path dir) throws IOException {
        for (String service : SERVICES) {
            Path app = Path.of("services", service, "target", "quarkus-app");
            copyTree(projectRoot.resolve(app), dir.resolve(app));
        }
        Path djlCache = Path.of(".work", "djl-cache");
        Files.createDirectories(projectRoot.resolve(djlCache));
        Files.createDirectories(dir.resolve(djlCache).getParent());
        Files.createSymbolicLink(dir.resolve(djlCache), projectRoot.resolve(djlCache));
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("No packaged service in " + from + ": build with './mvnw install -DskipTests'");
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
