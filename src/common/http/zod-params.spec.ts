import { Controller, Get, HttpCode, Post, type INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { z } from 'zod';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter.js';
import { FhirBody, ZodBody, ZodQuery, ZodSchemaPipe } from './zod-params.js';
import { zodOpenApiConverter } from './zod-openapi.js';

const noteInput = z
  .object({
    patientId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Patient id'),
    text: z.string().trim().min(1).max(200).describe('What was said'),
    tags: z.array(z.string()).default([]),
  })
  .strict()
  .meta({ example: { patientId: 'pat-example-1', text: 'Felt calmer after the session' } });
const listQuery = z
  .object({
    status: z.enum(['open', 'closed']).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20).meta({ description: '1–50, default 20', example: 10 }),
    since: z.string().transform((v) => new Date(v)).meta({ description: 'an ISO date' }),
  })
  .strict();
const optionalInput = z.object({ reason: z.string().max(10).optional() }).strict().meta({ example: { reason: 'moved' } });
const fhirDoc = z.looseObject({ resourceType: z.literal('Basic') }).meta({ example: { resourceType: 'Basic' } });
// A type JSON Schema cannot express must not break the document.
const oddInput = z.object({ when: z.date(), any: z.custom<string>((v) => typeof v === 'string') }).meta({ example: { any: 'x' } });

@Controller('probe')
class ProbeController {
  @Post('notes')
  @HttpCode(200)
  note(@ZodBody(noteInput) body: z.infer<typeof noteInput>) {
    return body;
  }

  @Get('notes')
  list(@ZodQuery(listQuery) query: z.infer<typeof listQuery>) {
    return { ...query, since: query.since.toISOString() };
  }

  @Post('optional')
  @HttpCode(200)
  optional(@ZodBody(optionalInput, { absentAs: {} }) body: z.infer<typeof optionalInput>) {
    return body;
  }

  @Post('fhir')
  @HttpCode(200)
  fhir(@FhirBody(fhirDoc) body: unknown) {
    return { got: body };
  }

  @Post('odd')
  @HttpCode(200)
  odd(@ZodBody(oddInput) body: unknown) {
    return body;
  }
}

describe('ZodBody / ZodQuery', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new AllExceptionsFilter());
    await app.init();
    doc = SwaggerModule.createDocument(app, new DocumentBuilder().build(), { standardSchemaConverter: zodOpenApiConverter });
  });
  afterAll(async () => app?.close());

  it('declares the schema on the parameter, with the pipe that parses it', () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, ProbeController, 'note') as Record<string, { schema?: unknown; pipes: unknown[] }>;
    const [body] = Object.values(args);
    expect(body.schema).toBe(noteInput);
    expect(body.pipes).toEqual([expect.any(ZodSchemaPipe)]);
    const fhir = Object.values(Reflect.getMetadata(ROUTE_ARGS_METADATA, ProbeController, 'fhir') as Record<string, { schema?: unknown; pipes: unknown[] }>)[0];
    expect(fhir.schema).toBe(fhirDoc);
    expect(fhir.pipes).toEqual([]);
  });

  it('hands the handler the parsed value (defaults, trims and coercions applied)', async () => {
    const server = app.getHttpServer();
    const res = await request(server).post('/probe/notes').send({ patientId: 'pat-1', text: '  calm  ' }).expect(200);
    expect(res.body).toEqual({ patientId: 'pat-1', text: 'calm', tags: [] });
    const q = await request(server).get('/probe/notes?limit=5&since=2026-01-02').expect(200);
    expect(q.body).toEqual({ limit: 5, since: '2026-01-02T00:00:00.000Z' });
  });

  it('refuses an invalid value with a 400 OperationOutcome, one issue per field, before the handler', async () => {
    const res = await request(app.getHttpServer()).post('/probe/notes').send({ patientId: 'a b', text: '', extra: 1 }).expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    const issues = res.body.issue as { details: { coding: { code: string }[] }; diagnostics: string; expression?: string[] }[];
    expect(issues.map((i) => i.expression?.[0])).toEqual(['patientId', 'text', undefined]);
    expect(issues[0].diagnostics).toBe('patientId: must be a Patient id');
    expect(issues[2].diagnostics).toMatch(/^body: Unrecognized key/);
    expect(issues[0].details.coding[0].code).toBe('COMMON.VALIDATION');
  });

  it('parses an absent body as absentAs when given, and refuses it otherwise', async () => {
    const server = app.getHttpServer();
    await request(server).post('/probe/optional').expect(200, {});
    const res = await request(server).post('/probe/notes').expect(400);
    expect(res.body.issue[0].diagnostics).toMatch(/^body: Invalid input: expected object/);
  });

  it('names the query, not a body, in an issue without a field of a ZodQuery', async () => {
    const res = await request(app.getHttpServer()).get('/probe/notes?since=2026-01-02&extra=1').expect(400);
    expect(res.body.issue.map((i: { diagnostics: string }) => i.diagnostics)).toEqual(['query: Unrecognized key: "extra"']);
  });

  it('names the query in issues without a field when asked to', () => {
    const pipe = new ZodSchemaPipe({ subject: 'query' });
    expect(() => pipe.transform({ x: 1 }, { type: 'query', schema: z.object({}).strict() })).toThrow(
      expect.objectContaining({ issues: [{ message: 'query: Unrecognized key: "x"', expression: undefined }] }),
    );
    expect(() => pipe.transform({}, { type: 'query' })).toThrow('The query parameter declares no zod schema');
  });

  it('passes a FHIR body through untouched (the domain validates it)', async () => {
    await request(app.getHttpServer()).post('/probe/fhir').send({ resourceType: 'Patient', x: 1 }).expect(200, { got: { resourceType: 'Patient', x: 1 } });
  });

  it('documents the body from the same schema: properties, required fields, descriptions and the example', () => {
    const body = doc.paths['/probe/notes'].post!.requestBody as { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
    const schema = body.content['application/json'].schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['patientId', 'text'],
      additionalProperties: false,
      properties: { patientId: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' }, text: { type: 'string', minLength: 1, maxLength: 200, description: 'What was said' }, tags: { type: 'array' } },
      example: { patientId: 'pat-example-1', text: 'Felt calmer after the session' },
    });
    expect(noteInput.safeParse(schema.example).success).toBe(true);
    expect(body.required).toBe(true);
    // A body that may be left out (absentAs) is documented as optional.
    expect(doc.paths['/probe/optional'].post!.requestBody).toMatchObject({ required: false, content: { 'application/json': { schema: { example: { reason: 'moved' } } } } });
    const fhir = doc.paths['/probe/fhir'].post!.requestBody as { content: Record<string, { schema: Record<string, unknown> }> };
    expect(fhir.content['application/json'].schema).toMatchObject({ properties: { resourceType: { enum: ['Basic'] } }, example: { resourceType: 'Basic' } });
  });

  it('documents each query property as a parameter, with its schema, required flag and description', () => {
    const params = doc.paths['/probe/notes'].get!.parameters as { name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> }[];
    expect(params.map((p) => [p.name, p.in, p.required])).toEqual([
      ['status', 'query', false],
      ['limit', 'query', false],
      ['since', 'query', true],
    ]);
    expect(params[0].schema).toMatchObject({ type: 'string', enum: ['open', 'closed'] });
    // As sent: a number before coercion, with its default.
    expect(params[1]).toMatchObject({ description: '1–50, default 20', schema: { type: 'integer', minimum: 1, maximum: 50, default: 20, example: 10 } });
    expect(params[2]).toMatchObject({ description: 'an ISO date', schema: { type: 'string' } });
  });

  it('documents a type JSON Schema cannot express as any value instead of failing', () => {
    const body = doc.paths['/probe/odd'].post!.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    expect(body.content['application/json'].schema.properties).toEqual({ when: {}, any: {} });
    expect(zodOpenApiConverter(String, { schemaType: 'input' })).toBeUndefined();
  });
});
