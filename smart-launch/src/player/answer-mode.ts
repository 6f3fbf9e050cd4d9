import type { QuestionnaireResponse } from 'fhir/r4';

// Who is answering (src/questionnaires/README.md, "Who answered"): the choices the player offers and the
// extension the server keeps them in. Apart from the response building, so screens outside the player read a
// response's mode without loading the questionnaire engine.

export const ANSWER_MODE_EXTENSION = 'https://als-wellness.example.org/fhir/StructureDefinition/answer-mode';

/** Labels and hints are English catalogue keys (lib/messages-es.ts): the player shows them through t(). */
export const ANSWER_MODES = [
  { code: 'self', label: 'The person themselves', hint: 'Answering on my own, with or without help using the device.' },
  { code: 'caregiver-entered', label: 'A caregiver entering the person’s own answers', hint: 'The person gives each answer; a caregiver selects it.' },
  { code: 'clinician-read-aloud', label: 'A clinician reading the questions aloud', hint: 'The clinician reads, the person answers, the clinician enters it.' },
  { code: 'proxy', label: 'Someone answering on the person’s behalf (proxy)', hint: 'The answers are the proxy’s own judgement about the person.' },
] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number]['code'];

export function modeOf(qr: QuestionnaireResponse | undefined): AnswerMode | undefined {
  return qr?.extension?.find((e) => e.url === ANSWER_MODE_EXTENSION)?.valueCode as AnswerMode | undefined;
}
