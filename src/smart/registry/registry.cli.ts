import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { cliModuleImports, runCli, withAppContext } from '../../cli/bootstrap.js';
import { databaseConfig, fhirConfig, httpConfig, securityConfig } from '../../config/index.js';
import { tokenCipherProvider } from '../crypto/token-cipher.provider.js';
import { EhrRegistration } from './ehr-registration.entity.js';
import { parseBody } from '../../common/http/parse-body.js';
import { registrationInput, registrationPatch } from './registration.schema.js';
import { publicView, RegistryService } from './registry.service.js';

@Module({
  imports: [...cliModuleImports([databaseConfig, httpConfig, securityConfig, fhirConfig]), TypeOrmModule.forFeature([EhrRegistration])],
  providers: [tokenCipherProvider, RegistryService],
})
class RegistryCliModule {}

const USAGE = `usage: npm run registry -- <list|add|update|disable> [options]
  add     --issuer URL --name TEXT --client-id ID --auth client_secret_basic|private_key_jwt
          [--client-secret S] [--scopes "…"] [--system-scopes "…"] [--frame-ancestor ORIGIN …]
          write-back: [--fhir-base URL] [--token-endpoint URL] [--system-client-id ID] [--write-back-auth system|user]
          delivery overrides: [--delivery-mode transaction|individual] [--max-entries N] [--conditional-writes | --no-conditional-writes]
  update  --id UUID [same options as add, except --issuer; an empty --fhir-base, --token-endpoint or
          --system-client-id goes back to the default; --delivery-defaults drops the delivery overrides first]
  disable --id UUID`;

/** Admin CLI for EHR registrations; every change is audited with the operating-system user as actor. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      id: { type: 'string' }, issuer: { type: 'string' }, name: { type: 'string' }, 'client-id': { type: 'string' },
      auth: { type: 'string' }, 'client-secret': { type: 'string' }, scopes: { type: 'string' }, 'system-scopes': { type: 'string' },
      'frame-ancestor': { type: 'string', multiple: true }, enable: { type: 'boolean' },
      'fhir-base': { type: 'string' }, 'token-endpoint': { type: 'string' }, 'system-client-id': { type: 'string' }, 'write-back-auth': { type: 'string' },
      'delivery-mode': { type: 'string' }, 'max-entries': { type: 'string' }, 'conditional-writes': { type: 'boolean' }, 'delivery-defaults': { type: 'boolean' },
    },
    allowNegative: true,
  });
  if (!['list', 'add', 'update', 'disable'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  return withAppContext(RegistryCliModule, async (app) => {
    const registry = app.get(RegistryService);
    const by = { actor: `cli:${userInfo().username}`, actorRole: 'admin' };
    const fields = {
      name: values.name, clientId: values['client-id'], clientAuth: values.auth, clientSecret: values['client-secret'],
      scopes: values.scopes, systemScopes: values['system-scopes'], frameAncestors: values['frame-ancestor'],
      ...(values.enable ? { enabled: true } : {}),
      fhirBaseUrl: orDefault(values['fhir-base']), tokenEndpoint: orDefault(values['token-endpoint']), systemClientId: orDefault(values['system-client-id']),
      writeBackAuth: values['write-back-auth'],
    };
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    // Delivery flags change only the overrides they name (the others stay) unless --delivery-defaults is given.
    const delivery = Object.fromEntries(
      Object.entries({ mode: values['delivery-mode'], maxEntries: count(values['max-entries']), conditionalWrites: values['conditional-writes'] }).filter(([, v]) => v !== undefined),
    );
    const deliveryGiven = values['delivery-defaults'] || Object.keys(delivery).length > 0;
    let out: unknown;
    if (command === 'list') out = (await registry.list()).map(publicView);
    else if (command === 'add') out = publicView(await registry.create(parseBody(registrationInput, { issuer: values.issuer, ...defined, ...(deliveryGiven ? { delivery } : {}) }), by));
    else if (command === 'update') {
      const current = deliveryGiven ? await registry.get(values.id ?? '') : undefined;
      const body = { ...defined, ...(current ? { delivery: { ...(values['delivery-defaults'] ? {} : current.delivery), ...delivery } } : {}) };
      out = publicView(await registry.update(values.id ?? '', parseBody(registrationPatch, body), by));
    } else out = publicView(await registry.update(values.id ?? '', { enabled: false }, by, 'registry.disable'));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  });
}

/** An empty value sets a nullable field back to its default (null). */
function orDefault(v: string | undefined): string | null | undefined {
  return v === '' ? null : v;
}

/** "8" → 8; anything else is passed on for the schema to refuse with its own message. */
function count(v: string | undefined): number | string | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : v;
}

runCli(() => main(process.argv.slice(2)));
