package dev.kbi.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/**
 * Where a running job's progress goes: on a terminal, one bar per stage redrawn in place (JLine's {@link Display});
 * anywhere else (CI logs, files, a test's captured output), one plain line per frame. Messages (a service
 * restarted) are printed above the bars, which are drawn again below them.
 */
interface ProgressDisplay extends AutoCloseable {

    /** Shows {@code frame} in place of the last one. */
    void show(ProgressFrame frame);

    /** Prints {@code line} as a line of its own, kept above the progress. */
    void message(String line);

    /** Leaves the last frame on screen, the cursor below it. */
    @Override
    void close();

    /**
     * Bars when {@code out} is this process's standard output and that is an interactive terminal (not a dumb
     * one); plain lines otherwise.
     */
    static ProgressDisplay on(PrintStream out) {
        if (out == System.out && System.console() != null && !"dumb".equals(System.getenv("TERM"))) {
            try {
                Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
                if (!Terminal.TYPE_DUMB.equals(terminal.getType())
                        && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                    return new Bars(terminal);
                }
                terminal.close();
            } catch (IOException e) {
                // No terminal after all: plain lines.
            }
        }
        return new Lines(out);
    }

    /** One plain line per frame. */
    final class Lines implements ProgressDisplay {
        private final PrintStream out;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void show(ProgressFrame frame) {
            out.println(frame.line());
        }

        @Override
        public void message(String line) {
            out.println(line);
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    /** Bars redrawn in place on a terminal. */
    final class Bars implements ProgressDisplay {
        private final Terminal terminal;
        private final Display display;
        private List<AttributedString> shown = List.of();

        Bars(Terminal terminal) {
            this.terminal = terminal;
            this.display = new Display(terminal, false);
        }

        @Override
        public synchronized void show(ProgressFrame frame) {
            // A terminal that reports no size (0 x 0, as some pseudo-terminals do) is taken as 120 columns,
            // tall enough for every bar.
            if (terminal.getWidth() <= 0 || terminal.getHeight() <= 0) {
                terminal.setSize(new Size(terminal.getWidth() > 0 ? terminal.getWidth() : 120,
                        Math.max(terminal.getHeight(), 24)));
            }
            int width = terminal.getWidth();
            shown = frame.bars(width - 1).stream().map(AttributedString::new).toList();
            display.resize(Math.max(terminal.getHeight(), shown.size() + 1), width);
            display.update(shown, -1);
            terminal.flush();
        }

        @Override
        public synchronized void message(String line) {
            display.update(List.of(), 0); // clears the bars
            terminal.writer().println(line);
            terminal.flush();
            display.reset();
            display.update(shown, -1);
            terminal.flush();
        }

        @Override
        public synchronized void close() {
            terminal.writer().println();
            terminal.flush();
            try {
                terminal.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
