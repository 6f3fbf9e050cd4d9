import { ASSERTION_ALGORITHMS } from './client-assertion.js';
import type { SandboxUrls } from './sandbox-urls.js';

export const SMART_CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'sso-openid-connect',
  'permission-v1',
  'permission-v2',
  'permission-offline',
  'permission-patient',
  'permission-user',
  'context-banner',
  'context-style',
];

const RESOURCE_SCOPES = ['patient', 'user', 'system'].flatMap((c) => ['read', 'write', 'rs', 'cruds'].map((p) => `${c}/*.${p}`));

/** `/.well-known/smart-configuration` (SMART App Launch 2.x §Discovery); every URL absolute. */
export function smartConfiguration(urls: SandboxUrls) {
  return {
    issuer: urls.issuer,
    jwks_uri: urls.jwks,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access', ...RESOURCE_SCOPES],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: SMART_CAPABILITIES,
  };
}

/** The style document behind `smart_style_url` (SMART App Launch §Styling): calm colours, large targets. */
export const SMART_STYLE = {
  color_background: '#f6f8fa',
  color_error: '#b42318',
  color_highlight: '#0b3d5c',
  color_modal_backdrop: 'rgba(0, 0, 0, 0.4)',
  color_success: '#1a7f37',
  color_text: '#1f2328',
  dim_border_radius: '8px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};
