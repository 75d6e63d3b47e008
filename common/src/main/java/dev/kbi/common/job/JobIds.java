package dev.kbi.common.job;

import java.util.regex.Pattern;

/**
 * What a job id may be. A job id arrives from outside (a header any producer sets, a JSON record on
 * the jobs topic, a setting) and becomes a folder name under the writer's output directory, so it
 * is checked against a strict character set before it is used for anything: ASCII letters, digits,
 * '.', '_' and '-', starting with a letter or digit, at most {@value #MAX_LENGTH} characters. That
 * rules out '/', '\', "..", absolute paths, percent-encoding, control characters, NUL and unicode
 * look-alikes of any of them, without a list of bad patterns to keep up to date.
 */
public final class JobIds {

    /** The job of records that name none, or name one that is not valid: their dead letters go there. */
    public static final String UNKNOWN = "unknown";
    public static final int MAX_LENGTH = 128;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");
    /** How much of a refused value an error message quotes. */
    private static final int QUOTED_LENGTH = 64;

    private JobIds() {
    }

    public static boolean isValid(String jobId) {
        return jobId != null && VALID.matcher(jobId).matches();
    }

    /** {@code jobId} itself when valid, else an {@link IllegalArgumentException} naming the rule. */
    public static String require(String jobId) {
        if (!isValid(jobId)) {
            throw new IllegalArgumentException(problem(jobId));
        }
        return jobId;
    }

    /** Why {@code jobId} is refused, quoting it safely (see {@link #quote}). */
    public static String problem(String jobId) {
        return "Invalid job id " + quote(jobId) + ": a job id is 1 to " + MAX_LENGTH
                + " characters of A-Z, a-z, 0-9, '.', '_', '-', starting with a letter or digit";
    }

    /**
     * A value from outside made safe to print in a log line or an error message: quoted, control and
     * non-ASCII characters escaped as {@code \\uXXXX}, cut after {@value #QUOTED_LENGTH} characters.
     */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder quoted = new StringBuilder("'");
        int end = Math.min(value.length(), QUOTED_LENGTH);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\'' || c == '\\') {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        quoted.append('\'');
        if (value.length() > end) {
            quoted.append(" (").append(value.length()).append(" characters)");
        }
        return quoted.toString();
    }
}
