package dev.kbi.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: machine, versions, commit. Written beside the results. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> collect(Path root) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("date", OffsetDateTime.now().toString());
        info.put("commit", command(root, "git", "rev-parse", "--short", "HEAD"));
        info.put("cpus", Runtime.getRuntime().availableProcessors());
        info.put("cpuModel", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        info.put("memTotal", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
        info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        info.put("ldPreload", String.valueOf(System.getenv("LD_PRELOAD")));
        info.put("versions", "Kafka 4.1.2, DJL 0.36.0 / libtorch 2.7.1 (CPU), Quarkus 3.33.2, Arrow 19.0.0");
        return info;
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String command(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? out : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
