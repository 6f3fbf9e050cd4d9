import { Body, Query, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { parseBody } from './parse-body.js';

export interface ZodParamOptions {
  /** What an absent value (no body at all) is parsed as; by default it is parsed as it is (and refused). */
  absentAs?: unknown;
  /** Names the whole value in an issue without a field ('body' by default). */
  subject?: string;
}

/**
 * Validates a parameter with the zod schema declared on it (`@Body({ schema })`, `@Query({ schema })`): the
 * schema the OpenAPI document shows is, by construction, the one that validates. Failures are parseBody's
 * 400 OperationOutcome, one issue per field.
 */
export class ZodSchemaPipe implements PipeTransform {
  constructor(private readonly options: ZodParamOptions = {}) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = metadata.schema;
    if (!(schema instanceof z.ZodType)) throw new Error(`The ${metadata.type} parameter declares no zod schema`);
    const input = value === undefined && 'absentAs' in this.options ? this.options.absentAs : value;
    return parseBody(schema, input, this.options.subject);
  }
}

/**
 * The request body, parsed with `schema`; the same schema (with its `.meta({ example })`) is the body's
 * schema in `/api/docs-json`. Type the parameter with `z.infer<typeof schema>`. With `absentAs` the body may
 * be left out, and is documented as optional.
 */
export function ZodBody(schema: z.ZodType, options?: ZodParamOptions): ParameterDecorator {
  const body = Body({ schema, pipes: [new ZodSchemaPipe(options)] });
  return (target, key, index) => {
    body(target, key, index);
    if (key !== undefined && options && 'absentAs' in options) ApiBody({ required: false })(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}

/**
 * The query string, parsed with an object `schema`; each of its properties is a documented query parameter.
 * An issue without a field (an unknown parameter) names the `query`, not a body the request does not have.
 */
export function ZodQuery(schema: z.ZodType, options?: ZodParamOptions): ParameterDecorator {
  return Query({ schema, pipes: [new ZodSchemaPipe({ subject: 'query', ...options })] });
}

/**
 * A FHIR resource body that the domain validates itself (with its own error codes and FHIRPath expressions):
 * `schema` only documents its shape, with an example; nothing is parsed here.
 */
export function FhirBody(schema: z.ZodType): ParameterDecorator {
  return Body({ schema });
}
