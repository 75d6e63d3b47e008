package dev.kbi.writer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** The writer's settings ({@code writer.*}). */
@ConfigMapping(prefix = "writer")
public interface WriterConfig {

    /** Root folder of the output: one sub-folder per job. */
    @WithDefault(".work/output")
    Path outputDir();

    /** A Parquet file is closed and a new one started after this many rows. */
    @WithDefault("100000")
    long rollRows();

    /** ... or once its data reaches this many bytes. */
    @WithDefault("134217728")
    long rollBytes();

    /**
     * Also produce every written prediction as JSON to the results topic ({@code kbi.topics.results}),
     * in the same transaction as the files' commit: for systems that consume results rather than
     * read Parquet. Off: Parquet only.
     */
    @WithDefault("true")
    boolean results();
}
