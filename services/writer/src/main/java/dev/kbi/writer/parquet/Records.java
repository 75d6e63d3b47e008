package dev.kbi.writer.parquet;

import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Helpers shared by the formats: schema pieces and {@link RecordConsumer} calls for one top-level field.
 * A null value for an optional field writes nothing, which Parquet reads back as null.
 */
final class Records {

    private static final LogicalTypeAnnotation UTC_MILLIS =
            LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS);

    private Records() {
    }

    static Type string(String name, Type.Repetition repetition) {
        return Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType())
                .named(name);
    }

    /** INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true). */
    static Type timestampMillis(String name) {
        return Types.required(PrimitiveTypeName.INT64).as(UTC_MILLIS).named(name);
    }

    /** Standard three-level LIST ({@code <name> (LIST) { repeated group list { required <type> element; } }}). */
    static Type requiredList(String name, Type element) {
        return Types.requiredList().element(element).named(name);
    }

    static void string(RecordConsumer out, GroupType schema, String name, String value) {
        if (value != null) {
            int index = schema.getFieldIndex(name);
            out.startField(name, index);
            out.addBinary(Binary.fromString(value));
            out.endField(name, index);
        }
    }

    static void int64(RecordConsumer out, GroupType schema, String name, Long value) {
        if (value != null) {
            int index = schema.getFieldIndex(name);
            out.startField(name, index);
            out.addLong(value);
            out.endField(name, index);
        }
    }

    static void float32(RecordConsumer out, GroupType schema, String name, Float value) {
        if (value != null) {
            int index = schema.getFieldIndex(name);
            out.startField(name, index);
            out.addFloat(value);
            out.endField(name, index);
        }
    }

    static void stringList(RecordConsumer out, GroupType schema, String name, List<String> values) {
        startList(out, schema, name, values.size());
        for (String value : values) {
            out.startGroup();
            out.startField("element", 0);
            out.addBinary(Binary.fromString(value));
            out.endField("element", 0);
            out.endGroup();
        }
        endList(out, schema, name, values.size());
    }

    static void floatList(RecordConsumer out, GroupType schema, String name, float[] values) {
        startList(out, schema, name, values.length);
        for (float value : values) {
            out.startGroup();
            out.startField("element", 0);
            out.addFloat(value);
            out.endField("element", 0);
            out.endGroup();
        }
        endList(out, schema, name, values.length);
    }

    // An empty list is the outer group with no "list" field in it; a missing outer group would be a null list.
    private static void startList(RecordConsumer out, GroupType schema, String name, int size) {
        int index = schema.getFieldIndex(name);
        out.startField(name, index);
        out.startGroup();
        if (size > 0) {
            out.startField("list", 0);
        }
    }

    private static void endList(RecordConsumer out, GroupType schema, String name, int size) {
        if (size > 0) {
            out.endField("list", 0);
        }
        out.endGroup();
        out.endField(name, schema.getFieldIndex(name));
    }

    static void require(boolean condition, String rowId, String what) {
        if (!condition) {
            throw new IllegalArgumentException("Row " + rowId + ": " + what);
        }
    }
}
