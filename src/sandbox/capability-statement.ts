import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import { SUPPORTED_TYPES } from './resource-types.js';
import type { SandboxUrls } from './sandbox-urls.js';

type SearchParam = { name: string; type: 'token' | 'reference' | 'date' | 'number' | 'string' };

const SEARCH_PARAMS: SearchParam[] = [
  { name: '_id', type: 'token' },
  { name: 'identifier', type: 'token' },
  { name: 'status', type: 'token' },
  { name: 'code', type: 'token' },
  { name: 'subject', type: 'reference' },
  { name: 'patient', type: 'reference' },
  { name: 'focus', type: 'reference' },
  { name: 'based-on', type: 'reference' },
  { name: 'encounter', type: 'reference' },
  { name: 'date', type: 'date' },
  { name: 'name', type: 'string' },
];

const INTERACTIONS = ['read', 'vread', 'update', 'history-instance', 'create', 'search-type'] as const;

function resource(type: string): CapabilityStatementRestResource {
  return {
    type: type as CapabilityStatementRestResource['type'],
    interaction: INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    searchParam: SEARCH_PARAMS,
  };
}

/** `/metadata`: what the sandbox serves, and where its SMART endpoints are (the oauth-uris extension). */
export function capabilityStatement(urls: SandboxUrls): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2025-01-01',
    kind: 'instance',
    software: { name: 'ALS wellness sandbox EHR', version: '0.1.0' },
    implementation: { description: 'Local SMART-on-FHIR EHR with synthetic data, for development and tests', url: urls.issuer },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: urls.authorize },
                { url: 'token', valueUri: urls.token },
              ],
            },
          ],
        },
        resource: SUPPORTED_TYPES.map(resource),
        interaction: [{ code: 'transaction' }],
      },
    ],
  };
}
