package dev.kbi.common.block;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Small helpers that fill and read Arrow columns by name, so each {@link RowSchema} is a list of
 * column declarations instead of vector boilerplate.
 */
public final class Columns {

    private Columns() {
    }

    public static Field utf8(String name, boolean nullable) {
        return new Field(name, new FieldType(nullable, ArrowType.Utf8.INSTANCE, null), null);
    }

    public static Field binary(String name, boolean nullable) {
        return new Field(name, new FieldType(nullable, ArrowType.Binary.INSTANCE, null), null);
    }

    public static Field int64(String name) {
        return new Field(name, FieldType.notNullable(new ArrowType.Int(64, true)), null);
    }

    public static Field int32(String name) {
        return new Field(name, FieldType.notNullable(new ArrowType.Int(32, true)), null);
    }

    public static Field utf8List(String name) {
        return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(utf8("item", false)));
    }

    public static Field float32List(String name, boolean nullable) {
        Field item = new Field("item",
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
        return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null), List.of(item));
    }

    public static <R> void setStrings(VectorSchemaRoot root, String column, List<R> rows, Function<R, String> get) {
        VarCharVector vector = (VarCharVector) root.getVector(column);
        vector.allocateNew(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String value = get.apply(rows.get(i));
            if (value == null) {
                vector.setNull(i);
            } else {
                vector.setSafe(i, value.getBytes(StandardCharsets.UTF_8));
            }
        }
        vector.setValueCount(rows.size());
    }

    public static <R> void setBytes(VectorSchemaRoot root, String column, List<R> rows, Function<R, byte[]> get) {
        VarBinaryVector vector = (VarBinaryVector) root.getVector(column);
        vector.allocateNew(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            byte[] value = get.apply(rows.get(i));
            if (value == null) {
                vector.setNull(i);
            } else {
                vector.setSafe(i, value);
            }
        }
        vector.setValueCount(rows.size());
    }

    public static <R> void setLongs(VectorSchemaRoot root, String column, List<R> rows, Function<R, Long> get) {
        BigIntVector vector = (BigIntVector) root.getVector(column);
        vector.allocateNew(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            vector.set(i, get.apply(rows.get(i)));
        }
        vector.setValueCount(rows.size());
    }

    public static <R> void setInts(VectorSchemaRoot root, String column, List<R> rows, Function<R, Integer> get) {
        IntVector vector = (IntVector) root.getVector(column);
        vector.allocateNew(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            vector.set(i, get.apply(rows.get(i)));
        }
        vector.setValueCount(rows.size());
    }

    public static <R> void setStringLists(VectorSchemaRoot root, String column, List<R> rows,
            Function<R, List<String>> get) {
        ListVector vector = (ListVector) root.getVector(column);
        vector.allocateNew();
        UnionListWriter writer = vector.getWriter();
        for (int i = 0; i < rows.size(); i++) {
            writer.setPosition(i);
            writer.startList();
            for (String value : get.apply(rows.get(i))) {
                writer.writeVarChar(value);
            }
            writer.endList();
        }
        vector.setValueCount(rows.size());
    }

    public static <R> void setFloatLists(VectorSchemaRoot root, String column, List<R> rows,
            Function<R, float[]> get) {
        ListVector vector = (ListVector) root.getVector(column);
        vector.allocateNew();
        UnionListWriter writer = vector.getWriter();
        for (int i = 0; i < rows.size(); i++) {
            float[] values = get.apply(rows.get(i));
            writer.setPosition(i);
            if (values == null) {
                vector.setNull(i);
                continue;
            }
            writer.startList();
            for (float value : values) {
                writer.writeFloat4(value);
            }
            writer.endList();
        }
        vector.setValueCount(rows.size());
    }

    public static String string(VectorSchemaRoot root, String column, int index) {
        VarCharVector vector = (VarCharVector) root.getVector(column);
        return vector.isNull(index) ? null : new String(vector.get(index), StandardCharsets.UTF_8);
    }

    /** The column's value, or null when it is null or the block has no such column ({@link RowSchema#optionalColumns}). */
    public static String optionalString(VectorSchemaRoot root, String column, int index) {
        return root.getVector(column) == null ? null : string(root, column, index);
    }

    public static byte[] bytes(VectorSchemaRoot root, String column, int index) {
        VarBinaryVector vector = (VarBinaryVector) root.getVector(column);
        return vector.isNull(index) ? null : vector.get(index);
    }

    public static long int64(VectorSchemaRoot root, String column, int index) {
        return ((BigIntVector) root.getVector(column)).get(index);
    }

    public static int int32(VectorSchemaRoot root, String column, int index) {
        return ((IntVector) root.getVector(column)).get(index);
    }

    public static List<String> stringList(VectorSchemaRoot root, String column, int index) {
        ListVector vector = (ListVector) root.getVector(column);
        VarCharVector items = (VarCharVector) vector.getDataVector();
        List<String> values = new ArrayList<>();
        for (int i = vector.getElementStartIndex(index); i < vector.getElementEndIndex(index); i++) {
            values.add(new String(items.get(i), StandardCharsets.UTF_8));
        }
        return values;
    }

    public static float[] floatList(VectorSchemaRoot root, String column, int index) {
        ListVector vector = (ListVector) root.getVector(column);
        if (vector.isNull(index)) {
            return null;
        }
        Float4Vector items = (Float4Vector) vector.getDataVector();
        int start = vector.getElementStartIndex(index);
        float[] values = new float[vector.getElementEndIndex(index) - start];
        for (int i = 0; i < values.length; i++) {
            values[i] = items.get(start + i);
        }
        return values;
    }
}
