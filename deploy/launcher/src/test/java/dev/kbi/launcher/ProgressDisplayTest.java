package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

    private static ProgressFrame frame(long writerRows) {
        return new ProgressFrame("job-1", 1, 100, false,
                List.of(new ProgressFrame.Stage("preprocessor", 100, 50, 0, 1, 0, false),
                        new ProgressFrame.Stage("writer", writerRows, 50, 10, 1, 0, true)), Map.of());
    }

    @Test
    void outputThatIsNotTheTerminalGetsOneLinePerFrame() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressDisplay display = ProgressDisplay.on(out)) {
            assertInstanceOf(ProgressDisplay.Lines.class, display);
            display.show(frame(40));
            display.message("writer exited; restarting it");
            display.show(frame(90));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(frame(40).line(), "writer exited; restarting it", frame(90).line()), lines);
    }

    @Test
    void aTerminalGetsBarsRedrawnInPlaceWithMessagesAbove() throws Exception {
        String screen = screen(new Size(120, 30), display -> {
            display.show(frame(40));
            display.show(frame(90));
            display.message("writer exited; restarting it");
        });
        assertTrue(screen.contains("writer        [##########--------------]  40%"), screen);
        // In place: the second frame rewrites only what changed (the writer's figures), so the unchanged
        // preprocessor line is drawn twice in all: first, and again below the message.
        String preprocessor = "preprocessor  [########################] 100%";
        int first = screen.indexOf(preprocessor);
        int last = screen.lastIndexOf(preprocessor);
        assertEquals(2, screen.split(java.util.regex.Pattern.quote(preprocessor), -1).length - 1, screen);
        int message = screen.indexOf("writer exited; restarting it");
        assertTrue(first < message && message < last, "the message goes above the bars drawn again: " + screen);
        assertTrue(screen.contains("90%"), screen);
    }

    @Test
    void aTerminalThatReportsNoSizeStillGetsEveryBar() throws Exception {
        String screen = screen(new Size(0, 0), display -> display.show(frame(40)));
        assertTrue(screen.contains("preprocessor  [") && screen.contains("writer        ["), screen.length() + ": " + screen);
    }

    @Test
    void barsOnAnInteractiveTerminalAndLinesWhenStandardOutputIsAFileOrPipe() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = javaBin + " -cp " + System.getProperty("java.class.path") + " " + ProgressDisplayProbe.class.getName();
        Path dir = Path.of(".");
        // util-linux's script gives the command a pseudo-terminal, as a user's shell has.
        String onTerminal = Commands.succeed(dir, List.of("script", "-qec", command, "/dev/null"),
                Map.of("TERM", "xterm-256color"), Duration.ofMinutes(1));
        assertTrue(onTerminal.contains("display: Bars"), onTerminal);
        String piped = Commands.succeed(dir, List.of("sh", "-c", command), Map.of(), Duration.ofMinutes(1));
        assertTrue(piped.contains("display: Lines"), piped);
        String dumb = Commands.succeed(dir, List.of("script", "-qec", command, "/dev/null"), Map.of("TERM", "dumb"),
                Duration.ofMinutes(1));
        assertTrue(dumb.contains("display: Lines"), dumb);
    }

    /** What bars drawn by {@code drawing} on an xterm of {@code size} wrote to it. */
    private static String screen(Size size, java.util.function.Consumer<ProgressDisplay> drawing)
            throws java.io.IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Keyboard input that stays open: at the end of its input JLine closes the terminal, and writes after
        // that are lost.
        try (java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
                java.io.PipedInputStream input = new java.io.PipedInputStream(keyboard)) {
            // An emulated terminal that writes to the stream as it is written to (a pseudo-terminal's copying
            // thread would lose the tail on close).
            Terminal terminal = new org.jline.terminal.impl.ExternalTerminal("test", "xterm-256color", input, bytes,
                    StandardCharsets.UTF_8);
            terminal.setSize(size);
            try (ProgressDisplay display = new ProgressDisplay.Bars(terminal)) {
                drawing.accept(display);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
