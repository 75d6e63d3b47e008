// Runs one SQL query with DuckDB and prints the rows as JSON lines: an independent reader of the
// pipeline's Parquet output (DuckDB's own C++ Parquet reader, none of this project's code).
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
if (!sql) {
  console.error('usage: duckdb-query.sh "SELECT ... FROM read_parquet(\'.work/output/<job>/predictions-*.parquet\')"');
  process.exit(2);
}
const connection = await (await DuckDBInstance.create(':memory:')).connect();
const reader = await connection.runAndReadAll(sql);
for (const row of reader.getRowObjectsJson()) {
  console.log(JSON.stringify(row));
}
