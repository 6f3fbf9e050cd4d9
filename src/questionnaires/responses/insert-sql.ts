import type { EntityManager, EntityTarget, ObjectLiteral, ValueTransformer } from 'typeorm';

/**
 * A plain `INSERT INTO … VALUES …` of rows of one entity, its `$n` placeholders numbered after what `params` already
 * holds (the values are appended). Several of them make one statement that writes several tables (`WITH a AS (INSERT
 * …), b AS (INSERT …) …`): one round trip where TypeORM's insert builder makes one each, at more CPU than the
 * statement itself. Column names and types come from the entity's TypeORM metadata, so they cannot drift from it.
 * Every row must set the same properties; what a row leaves out takes the column's default.
 */
export function insertSql<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, rows: Partial<T>[], params: unknown[], returning?: string): string {
  const meta = m.connection.getMetadata(target);
  const keys = Object.keys(rows[0]).filter((k) => rows[0][k] !== undefined);
  const columns = keys.map((k) => {
    const column = meta.findColumnWithPropertyName(k);
    if (!column) throw new Error(`${meta.name} has no column for ${k}`);
    return column;
  });
  const tuples = rows.map((row) => {
    const cells = columns.map((column, i) => {
      let value: unknown = row[keys[i]] ?? null;
      const transformer = column.transformer as ValueTransformer | undefined;
      if (transformer && !Array.isArray(transformer) && value !== null) value = transformer.to(value);
      const json = column.type === 'jsonb' || column.type === 'json';
      params.push(json && value !== null ? JSON.stringify(value) : value);
      return `$${params.length}${json ? `::${String(column.type)}` : ''}`;
    });
    return `(${cells.join(', ')})`;
  });
  const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
  return `INSERT INTO "${meta.tableName}" (${names}) VALUES ${tuples.join(', ')}${returning ? ` RETURNING ${returning}` : ''}`;
}

/**
 * Several data-modifying statements sent as one (`WITH a AS (INSERT …), b AS (UPDATE …) SELECT …`): one round trip
 * instead of one each, all or nothing like the rest of the transaction. PostgreSQL runs every part exactly once,
 * read or not, on one snapshot: no part sees another's rows, so only independent writes belong together. Each part's
 * SQL comes from the module that owns its table, its `$n` numbered after `params` (which it appends to). What a part
 * answers (at most one row) is read back as `<part>_<column>`.
 */
export class OneStatement {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];
  private readonly answers: string[] = [];

  add(name: string, sql: string, answers: readonly string[] = []): void {
    this.parts.push(`${name} AS (${sql})`);
    for (const column of answers) this.answers.push(`(SELECT ${column} FROM ${name}) AS ${name}_${column}`);
  }

  /** What part `name` answered in `out` (run's result), under the part's own column names; undefined: no row. */
  static part(out: Record<string, unknown>, name: string, columns: readonly string[]): Record<string, unknown> | undefined {
    const row = Object.fromEntries(columns.map((c) => [c, out[`${name}_${c}`] ?? null]));
    return columns.some((c) => row[c] !== null) ? row : undefined;
  }

  /** Runs the parts added (none: nothing is sent) and answers what they returned, null where a part returned no row. */
  async run(m: EntityManager): Promise<Record<string, unknown>> {
    if (!this.parts.length) return {};
    const [row] = (await m.query(`WITH ${this.parts.join(', ')} SELECT ${this.answers.length ? this.answers.join(', ') : 'NULL AS none'}`, this.params)) as Record<string, unknown>[];
    return row;
  }
}
