package dev.kbi.common.job;

/**
 * Row ids and record keys that come from other systems (the input topic's keys, its
 * {@code kbi-row-id} header, a reference's {@code id}, an Arrow block's {@code row_id}). They never
 * name a file, but they land in Parquet, in JSON results and in log lines: 1 to
 * {@value #MAX_LENGTH} characters, none of them a control character (no NUL, no line breaks).
 */
public final class RowIds {

    public static final int MAX_LENGTH = 1024;

    private RowIds() {
    }

    /** Why {@code value} cannot be a row id or key, or null when it can. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "is " + value.length() + " characters long, over " + MAX_LENGTH;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return JobIds.quote(value) + " holds a control character at index " + i;
            }
        }
        return null;
    }
}
