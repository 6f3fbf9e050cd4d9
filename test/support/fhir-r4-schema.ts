interface SchemaValidator {
  validate(resource: unknown, verbose?: boolean): unknown[];
}

const SHARED = Symbol.for('als-wellness.tests.fhirR4SchemaValidator');

/**
 * The validator, compiled once per jest worker. Compiling the whole R4 schema with ajv costs seconds of CPU, and
 * jest gives every test file a fresh module registry, so a module-level cache would compile it again in every file
 * that validates. The validator is therefore loaded with Node's own require (not jest's), and kept on that real
 * module object, which every test file of the worker sees. It only reads plain JSON, so another file's realm is fine.
 */
function sharedValidator(): SchemaValidator {
  const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module') & { [SHARED]?: SchemaValidator };
  if (!nodeModule[SHARED]) {
    const Validator = nodeModule.createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => SchemaValidator;
    nodeModule[SHARED] = new Validator();
  }
  return nodeModule[SHARED];
}

/**
 * Errors of a resource against the official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, shipped by
 * @asymmetrik/fhir-json-schema-validator); empty when valid. The schema checks structure, types and
 * primitive formats, not every cardinality: tests assert required elements themselves.
 */
export function r4SchemaErrors(resource: unknown): unknown[] {
  return sharedValidator().validate(resource);
}
