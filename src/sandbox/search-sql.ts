import type { SearchFilter, SearchQuery, TokenValue } from './search.js';

/** A parameterised SQL condition over `sandbox_resource` ($1 is always the resource type). */
export interface SearchSql {
  where: string;
  params: unknown[];
  orderBy: string;
}

/**
 * Builds the WHERE clause of a search. Token searches use jsonb containment (`@>`) so the GIN index on
 * `resource -> 'identifier'` serves them; reference searches use array overlap on the GIN-indexed `refs`.
 */
export function searchSql(q: SearchQuery): SearchSql {
  const params: unknown[] = [q.type];
  const bind = (v: unknown) => `$${params.push(v)}`;
  const json = (v: unknown) => `${bind(JSON.stringify(v))}::jsonb`;

  const tokenCondition = (element: 'identifier' | 'code' | '_tag', t: TokenValue): string => {
    if (element === '_tag') {
      const tag = { ...(t.system ? { system: t.system } : {}), ...(t.value ? { code: t.value } : {}) };
      return `resource -> 'meta' -> 'tag' @> ${json([tag])}`;
    }
    if (element === 'identifier') {
      const obj = { ...(t.system ? { system: t.system } : {}), ...(t.value ? { value: t.value } : {}) };
      // Identifier is a list on most resources but a single element on a few (QuestionnaireResponse).
      return `(resource -> 'identifier' @> ${json([obj])} OR resource -> 'identifier' @> ${json(obj)})`;
    }
    const coding = { ...(t.system ? { system: t.system } : {}), ...(t.value ? { code: t.value } : {}) };
    // CodeableConcept on most resources, a list of Coding on Questionnaire.
    return `(resource -> 'code' -> 'coding' @> ${json([coding])} OR resource -> 'code' @> ${json([coding])})`;
  };

  const condition = (f: SearchFilter): string => {
    switch (f.kind) {
      case 'id':
        return `id = ANY(${bind(f.ids)}::text[])`;
      case 'token':
        return `(${f.alternatives.map((t) => tokenCondition(f.element, t)).join(' OR ')})`;
      case 'status':
        return `resource ->> 'status' = ANY(${bind(f.values)}::text[])`;
      case 'reference':
        return `refs && ${bind(f.refs)}::text[]`;
      case 'compartment':
        return `patient_ref = ${bind(f.patientRef)}`;
      case 'name': {
        // A value matches at the start of any word of a name (text, prefix, given, family), ignoring case.
        const agg = (part: string) =>
          `(SELECT string_agg(x, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(n.v -> '${part}') = 'array' THEN n.v -> '${part}' ELSE '[]'::jsonb END) AS a(x))`;
        const like = f.prefixes.map((p) => `% ${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        return (
          `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(resource -> 'name') = 'array' THEN resource -> 'name' ELSE '[]'::jsonb END) AS n(v) ` +
          `WHERE (' ' || lower(concat_ws(' ', n.v ->> 'text', ${agg('prefix')}, ${agg('given')}, n.v ->> 'family'))) LIKE ANY(${bind(like)}::text[]))`
        );
      }
      case 'date': {
        switch (f.prefix) {
          case 'eq': return `(main_date >= ${bind(f.from)} AND main_date < ${bind(f.to)})`;
          case 'ne': return `(main_date < ${bind(f.from)} OR main_date >= ${bind(f.to)})`;
          case 'gt': return `main_date >= ${bind(f.to)}`;
          case 'ge': return `main_date >= ${bind(f.from)}`;
          case 'lt': return `main_date < ${bind(f.from)}`;
          case 'le': return `main_date < ${bind(f.to)}`;
        }
      }
    }
  };

  const where = ['resource_type = $1', ...q.filters.map(condition)].join(' AND ');
  const dir = q.sort === 'desc' ? 'DESC' : 'ASC';
  return { where, params, orderBy: `last_updated ${dir}, id ${dir}` };
}
