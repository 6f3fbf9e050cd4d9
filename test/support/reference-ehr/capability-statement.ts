import type { CapabilityStatement } from 'fhir/r4.js';
import type { ReferenceEhrProfile } from './profiles.js';

/** Where the EHR answers; every URL absolute, as SMART discovery requires. */
export interface EhrUrls {
  base: string;
  token: string;
  authorize: string;
}

/** The types our write-back and launch read or write. */
export const SUPPORTED_TYPES = [
  'ServiceRequest',
  'Task',
  'CarePlan',
  'CareTeam',
  'Appointment',
  'Encounter',
  'QuestionnaireResponse',
  'Observation',
  'Provenance',
  'Communication',
  'Patient',
  'RelatedPerson',
  'Practitioner',
  'Questionnaire',
  'PlanDefinition',
] as const;

/**
 * `GET [base]/metadata`: tells the truth about the profile, because our app decides from it whether to send
 * transactions and conditional writes. Only the interactions the host lets through are listed.
 */
export function capabilityStatement(profile: ReferenceEhrProfile, urls: EhrUrls, date: string): CapabilityStatement {
  const system = [...(profile.transactions ? ['transaction' as const] : []), ...(profile.batch ? ['batch' as const] : [])];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'ALS wellness care module test suite',
    kind: 'instance',
    software: { name: `Reference EHR (${profile.name}) on @medplum/fhir-router` },
    implementation: { description: `Reference EHR, profile ${profile.name}`, url: urls.base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'token', valueUri: urls.token },
                { url: 'authorize', valueUri: urls.authorize },
              ],
            },
          ],
        },
        resource: SUPPORTED_TYPES.map((type) => ({
          type,
          interaction: (['read', 'vread', 'history-instance', 'search-type', 'create', 'update'] as const).map((code) => ({ code })),
          versioning: 'versioned' as const,
          updateCreate: true,
          conditionalCreate: profile.conditionalCreate,
          conditionalUpdate: profile.conditionalUpdate,
          conditionalDelete: 'not-supported' as const,
          searchParam: [
            { name: 'identifier', type: 'token' as const },
            { name: '_tag', type: 'token' as const },
            { name: '_id', type: 'token' as const },
          ],
        })),
        ...(system.length ? { interaction: system.map((code) => ({ code })) } : {}),
      },
    ],
  };
}

/** `GET [base]/.well-known/smart-configuration`: backend services only; our discovery also needs an authorize URL. */
export function smartConfiguration(urls: EhrUrls) {
  return {
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['system/*.cruds', 'system/*.rs'],
    capabilities: ['client-confidential-asymmetric', 'permission-v2'],
  };
}
