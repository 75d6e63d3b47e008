package dev.kbi.launcher;

/** Prints which display {@link ProgressDisplay#on} picks for this process's standard output (run by a test). */
public final class ProgressDisplayProbe {

    private ProgressDisplayProbe() {
    }

    public static void main(String[] args) {
        ProgressDisplay display = ProgressDisplay.on(System.out);
        String kind = display.getClass().getSimpleName();
        display.close();
        System.out.println("display: " + kind);
    }
}
