package dev.kbi.writer.parquet;

import dev.kbi.common.parquet.ParquetRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path must run without Hadoop (hadoop-client-api is a compile-only dependency): writes files in a
 * class loader that has this module's test class path minus the Hadoop jar, then reads them back here.
 */
class NoHadoopAtRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void writesZstdAndSnappyFilesWithoutHadoopClasses() throws Exception {
        String hadoopJar = Path.of(org.apache.hadoop.conf.Configuration.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty() && !Path.of(entry).toString().equals(hadoopJar)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader noHadoop = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("org.apache.hadoop.conf.Configuration", false, noHadoop));
            @SuppressWarnings("unchecked")
            Callable<Object> probe = (Callable<Object>) noHadoop.loadClass(Probe.class.getName())
                    .getConstructor(Path.class).newInstance(dir);
            assertEquals(List.of("predictions-00000.parquet:3", "predictions-00001.parquet:3",
                    "dead-letters-00000.parquet:1"), probe.call());
        }
        // And the files are good Parquet, read back through the Hadoop-backed reader.
        assertEquals("r2", ParquetRows.read(dir.resolve("predictions-00001.parquet")).get(2).getString("row_id", 0));
        assertEquals(5L, ParquetRows.read(dir.resolve("dead-letters-00000.parquet")).get(0).getLong("payload_size", 0));
    }

    /** Runs inside the Hadoop-free class loader; returns {@code name:rows} of the completed files. */
    public static final class Probe implements Callable<Object> {
        private final Path dir;

        public Probe(Path dir) {
            this.dir = dir;
        }

        @Override
        public Object call() throws Exception {
            List<String> done = new ArrayList<>();
            for (CompressionCodecName codec : List.of(CompressionCodecName.ZSTD, CompressionCodecName.SNAPPY)) {
                var writer = new RollingParquetWriter<>(dir, "predictions", new PredictionFormat(), 1000, 1 << 20,
                        codec, java.time.Clock.systemUTC());
                for (int i = 0; i < 3; i++) {
                    writer.write(new PredictionRow("r" + i, "s", 1, 2, 3, List.of("a"), new float[] {1f}, "m"));
                }
                writer.close().forEach(f -> done.add(f.path().getFileName() + ":" + f.rows()));
            }
            var dead = new RollingParquetWriter<>(dir, "dead-letters", new DeadLetterFormat(), 1000, 1 << 20);
            dead.write(new DeadLetterRow("r9", null, "inference", "E", null, 4, new byte[5]));
            dead.close().forEach(f -> done.add(f.path().getFileName() + ":" + f.rows()));
            return done;
        }
    }
}
