import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { z } from 'zod';
import { ZodSchemaPipe } from '../src/common/http/zod-params.js';
import { zodOpenApiConverter } from '../src/common/http/zod-openapi.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A body or query parameter of a route handler, as the controller declares it. */
interface RequestArg {
  in: 'body' | 'query';
  /** `@Query('version')`: one named parameter. */
  name?: string;
  /** The zod schema declared on the parameter (ZodBody, ZodQuery, FhirBody). */
  schema?: z.ZodType;
  /** Parsed by that schema (ZodSchemaPipe); otherwise a FHIR body the domain validates. */
  parsed: boolean;
}

interface Route {
  method: string;
  path: string;
  /** The path as OpenAPI writes it: `/api/referrals/{id}`. */
  docPath: string;
  args: RequestArg[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { example?: unknown };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { properties?: object; example?: unknown } }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

/** Every /api route, with the body and query parameters its handler reads, from the controllers themselves. */
function apiRoutes(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const out: Route[] = [];
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '')[0];
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as () => unknown;
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const path = `/${[base, ([] as string[]).concat(sub)[0]].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
      if (!path.startsWith('/api/')) continue;
      const declared = (Reflect.getMetadata(ROUTE_ARGS_METADATA, wrapper.metatype, name) ?? {}) as Record<string, { data?: unknown; schema?: z.ZodType; pipes?: unknown[] }>;
      const args: RequestArg[] = [];
      for (const [key, a] of Object.entries(declared)) {
        const type = Number(key.split(':')[0]);
        if (type !== RouteParamtypes.BODY && type !== RouteParamtypes.QUERY) continue;
        args.push({
          in: type === RouteParamtypes.BODY ? 'body' : 'query',
          name: typeof a.data === 'string' ? a.data : undefined,
          schema: a.schema,
          parsed: (a.pipes ?? []).some((p) => p instanceof ZodSchemaPipe),
        });
      }
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      out.push({ method, path, docPath: path.replace(/:([A-Za-z]+)/g, '{$1}'), args });
    }
  }
  return out;
}

const label = (r: Route) => `${r.method} ${r.path}`;
const jsonSchemaOf = (schema: z.ZodType) => zodOpenApiConverter(schema, { schemaType: 'input' })!.schema as { properties?: Record<string, unknown>; required?: string[] };
const issuesOf = (r: { success: boolean; error?: z.ZodError }) => (r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

/**
 * The OpenAPI document describes every request: each body and query an /api handler reads has its schema in
 * /api/docs-json, generated from the zod schema that validates it, with examples that the route accepts.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let routes: Route[];
  let doc: Document;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    routes = apiRoutes(t);
    doc = (await request(t.app.getHttpServer()).get('/api/docs-json').expect(200)).body as Document;
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => t?.close());

  const operation = (r: Route): Operation | undefined => doc.paths[r.docPath]?.[r.method.toLowerCase()];

  it('finds the routes that read a body or a query', () => {
    expect(routes.filter((r) => r.args.some((a) => a.in === 'body')).length).toBeGreaterThan(20);
    expect(routes.filter((r) => r.args.some((a) => a.in === 'query')).length).toBeGreaterThan(15);
  });

  it('declares a zod schema on every body and whole query an /api handler reads', () => {
    const undeclared = routes.flatMap((r) => r.args.filter((a) => !a.name && !(a.schema instanceof z.ZodType)).map((a) => `${label(r)} ${a.in}`));
    expect(undeclared).toEqual([]);
    // Only FHIR resources (validated by the questionnaire engine, with its own errors) are documented without being parsed here.
    const unparsed = routes.flatMap((r) => r.args.filter((a) => a.schema && !a.parsed).map((a) => `${label(r)} ${a.in}`));
    expect(unparsed.sort()).toEqual(['POST /api/questionnaire-responses body', 'POST /api/questionnaires body', 'PUT /api/questionnaire-responses/:id body']);
  });

  it('documents every request body: the schema of its zod parameter, with properties and an example', () => {
    const problems: string[] = [];
    for (const r of routes) {
      const arg = r.args.find((a) => a.in === 'body');
      if (!arg?.schema) continue;
      const content = operation(r)?.requestBody?.content ?? {};
      const documented = content['application/json'] ?? Object.values(content)[0];
      if (!documented) {
        problems.push(`${label(r)}: no requestBody`);
        continue;
      }
      if (!documented.schema.properties || !Object.keys(documented.schema.properties).length) problems.push(`${label(r)}: no properties`);
      if (documented.schema.example === undefined) problems.push(`${label(r)}: no example`);
      // Generated from the very schema on the parameter, not kept by hand.
      if (JSON.stringify(documented.schema) !== JSON.stringify(jsonSchemaOf(arg.schema))) problems.push(`${label(r)}: not the parameter's schema`);
    }
    expect(problems).toEqual([]);
  });

  it('documents every query parameter a handler reads, with its schema and required flag', () => {
    const problems: string[] = [];
    for (const r of routes) {
      const documented = (operation(r)?.parameters ?? []).filter((p) => p.in === 'query');
      for (const arg of r.args.filter((a) => a.in === 'query')) {
        if (arg.name) {
          if (!documented.some((p) => p.name === arg.name)) problems.push(`${label(r)}: ?${arg.name} undocumented`);
          continue;
        }
        if (!arg.schema) continue;
        const json = jsonSchemaOf(arg.schema);
        const expected = Object.keys(json.properties ?? {}).map((name) => `${name}${json.required?.includes(name) ? '' : '?'}`);
        const actual = documented.map((p) => `${p.name}${p.required ? '' : '?'}`);
        if (!expected.length) problems.push(`${label(r)}: a query schema without properties`);
        if (actual.join('&') !== expected.join('&')) problems.push(`${label(r)}: documents ${actual.join('&')}, reads ${expected.join('&')}`);
        for (const p of documented) {
          if (JSON.stringify(p.schema) !== JSON.stringify(json.properties?.[p.name])) problems.push(`${label(r)}: ?${p.name} is not the parameter's schema`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents only examples that the schema validating the route accepts', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const r of routes) {
      for (const arg of r.args.filter((a) => a.parsed && a.schema)) {
        const op = operation(r);
        let example: unknown;
        if (arg.in === 'body') {
          example = Object.values(op?.requestBody?.content ?? {})[0]?.schema.example;
        } else {
          // The query parameters' own examples, sent together.
          const given = (op?.parameters ?? []).filter((p) => p.in === 'query' && p.schema?.example !== undefined);
          if (!given.length) continue;
          example = Object.fromEntries(given.map((p) => [p.name, p.schema!.example]));
        }
        checked++;
        for (const issue of issuesOf(arg.schema!.safeParse(example))) problems.push(`${label(r)} ${arg.in} example: ${issue}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it('documents FHIR bodies with examples that the routes themselves accept', async () => {
    const server = t.app.getHttpServer();
    const exampleOf = (method: string, path: string) => {
      const content = doc.paths[path][method].requestBody!.content;
      return Object.values(content)[0].schema.example as Record<string, unknown>;
    };
    const send = (r: request.Test, s: { cookie: string; csrf: string }, body: unknown) =>
      r.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).set('Content-Type', 'application/fhir+json').send(JSON.stringify(body));

    const admin = await signIn(t.app, { role: 'admin' });
    const imported = await send(request(server).post('/api/questionnaires'), admin, exampleOf('post', '/api/questionnaires'));
    expect(imported.status).toBe(201);

    const draft = exampleOf('post', '/api/questionnaire-responses');
    const subject = /^Patient\/(.+)$/.exec((draft.subject as { reference: string }).reference)![1];
    const patient = await signIn(t.app, { role: 'patient', patientId: subject });
    const created = await send(request(server).post('/api/questionnaire-responses'), patient, draft);
    expect(created.status).toBe(201);
    const saved = await send(request(server).put(`/api/questionnaire-responses/${created.body.resource.id}`).set('If-Match', created.headers.etag), patient, exampleOf('put', '/api/questionnaire-responses/{id}'));
    expect(saved.status).toBe(200);
  });
});
