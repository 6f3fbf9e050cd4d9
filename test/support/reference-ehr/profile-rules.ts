import type { Bundle } from 'fhir/r4.js';
import type { ReferenceEhrProfile } from './profiles.js';

/** One REST interaction, from the HTTP request or from a Bundle entry's `request`. */
export interface Interaction {
  method: string;
  /** Relative to the FHIR base, with or without a leading slash, query included. */
  url: string;
  ifNoneExist?: string;
}

/**
 * Why this EHR refuses an interaction, or undefined when it supports it. The engine can do more than the
 * profile (and more than the CapabilityStatement lists: delete, patch, operations); an EHR that lacks a
 * feature refuses it, so the app learns at once instead of getting a silent plain create.
 */
export function interactionRefusal(profile: ReferenceEhrProfile, i: Interaction): string | undefined {
  const [path, query] = i.url.split('?', 2);
  const segments = path.split('/').filter(Boolean);
  if (segments.some((s) => s.startsWith('$'))) return 'Operations are not supported by this EHR.';
  switch (i.method) {
    case 'GET':
      return undefined;
    case 'POST':
      if (segments.length === 2 && segments[1] === '_search') return undefined;
      if (segments.length !== 1) return `POST ${i.url || '[base]'} is not supported here.`;
      if (i.ifNoneExist && !profile.conditionalCreate) return `Conditional create (If-None-Exist) is not supported by this EHR (profile ${profile.name}).`;
      return undefined;
    case 'PUT':
      if (segments.length === 2 && !query) return undefined;
      if (segments.length !== 1) return `PUT ${i.url} is not supported here.`;
      if (!profile.conditionalUpdate) return `Conditional update (PUT ${segments[0]}?…) is not supported by this EHR (profile ${profile.name}).`;
      return undefined;
    default:
      return `${i.method} is not supported by this EHR.`;
  }
}

/** A POST at the base: the Bundle type must be supported, and so must every entry. */
export function bundleRefusal(profile: ReferenceEhrProfile, bundle: Partial<Bundle>): string | undefined {
  if (bundle.resourceType !== 'Bundle') return 'POST at the base takes a Bundle.';
  if (bundle.type === 'transaction' && !profile.transactions) return `Transactions are not supported by this EHR (profile ${profile.name}).`;
  if (bundle.type === 'batch' && !profile.batch) return `Batch is not supported by this EHR (profile ${profile.name}).`;
  for (const [n, entry] of (bundle.entry ?? []).entries()) {
    const request = entry.request;
    if (!request?.method || request.url === undefined) continue; // the engine refuses these with its own message
    const why = request.url.split('?')[0].replace(/^\/+/, '') === '' ? 'Nested Bundles are not supported.' : interactionRefusal(profile, { method: request.method, url: request.url, ifNoneExist: request.ifNoneExist });
    if (why) return `Bundle.entry[${n}]: ${why}`;
  }
  return undefined;
}
