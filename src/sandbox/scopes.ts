/** SMART scope contexts: the launch patient's data, what the signed-in user may see, or a backend system. */
export type ScopeContext = 'patient' | 'user' | 'system';
/** SMART v2 permissions: create, read, update, delete, search. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  context: ScopeContext;
  /** A FHIR resource type or `*`. */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
}

export interface ParsedScopes {
  /** The scopes the sandbox understood, in request order: what it grants. */
  granted: string[];
  resources: ResourceScope[];
  has(scope: string): boolean;
}

const IDENTITY_SCOPES = new Set([
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
]);

// v1 `.read`/`.write`/`.*` or v2 `.cruds` letters in order; v2 query suffixes (`?category=…`) are accepted
// and ignored, which widens rather than narrows: fine for a development EHR.
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)(\?\S*)?$/;

const V1: Record<string, Permission[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

export function parseResourceScope(scope: string): ResourceScope | undefined {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m || m[3] === '') return undefined;
  const permissions = V1[m[3]] ?? (m[3].split('') as Permission[]);
  return { context: m[1] as ScopeContext, resourceType: m[2], permissions: new Set(permissions) };
}

/** Parses a space-separated scope string; anything unknown is dropped from the grant. */
export function parseScopes(scope: string | undefined | null): ParsedScopes {
  const granted: string[] = [];
  const resources: ResourceScope[] = [];
  for (const s of (scope ?? '').split(/\s+/).filter(Boolean)) {
    if (granted.includes(s)) continue;
    const resource = parseResourceScope(s);
    if (resource) resources.push(resource);
    if (resource || IDENTITY_SCOPES.has(s)) granted.push(s);
  }
  return { granted, resources, has: (s) => granted.includes(s) };
}
