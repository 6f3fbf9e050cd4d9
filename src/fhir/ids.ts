// FHIR resource ids and relative references as text, for the feature modules. The pattern itself is defined once
// on the lowest floor (src/common/fhir-id.ts) so that the frame and the browser app share it.
export { FHIR_ID, FHIR_ID_CHAR, FHIR_ID_SOURCE, isFhirId, referencePattern } from '../common/fhir-id.js';
