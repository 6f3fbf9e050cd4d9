import type { StandardSchemaConversionResult } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * Turns the zod schemas declared on parameters (see zod-params.ts) into OpenAPI 3.0 schemas for
 * `SwaggerModule.createDocument({ standardSchemaConverter })`. Requests are documented as they are sent
 * (`input`: before defaults, coercions and transforms). A type JSON Schema cannot express (a transform, a
 * custom check) becomes `{}` (any value) instead of failing the whole document. Other schemas: undefined,
 * so @nestjs/swagger converts them itself.
 */
export function zodOpenApiConverter(schema: unknown, options: { schemaType: 'input' | 'output' }): StandardSchemaConversionResult | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: options.schemaType, unrepresentable: 'any' }) as Record<string, unknown>;
  const { $defs, definitions, $schema: _schema, ...rest } = json;
  return { schema: rest, components: { ...(definitions as object | undefined), ...($defs as object | undefined) } };
}
