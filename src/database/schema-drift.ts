import type { DataSource } from 'typeorm';

/** The SQL TypeORM would run to make the schema match the entities; empty when migrations are complete. */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
