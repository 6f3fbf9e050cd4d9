import { describe, expect, it } from '@jest/globals';
import type { QuestionnaireResponse } from 'fhir/r4.js';
import { PHQ9_ITEM_IDS, phq9 } from './instruments/phq9.js';
import { buildResponse } from './response-builder.js';
import { validateResponse } from './validation.js';

// Client JSON is untrusted: validation must report shape errors, never throw on them.

const PHQ = phq9.questionnaire;
const item = (linkId: string) => `QuestionnaireResponse.item.where(linkId='${linkId}')`;
const completePhq = () => buildResponse(phq9, Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, 0])));
const itemOf = (qr: QuestionnaireResponse, linkId: string) => qr.item!.find((i) => i.linkId === linkId)!;
const rulesAndPaths = (issues: ReturnType<typeof validateResponse>) => issues.map((i) => [i.rule, i.expression]);

describe('malformed responses', () => {
  it('reports malformed item and answer lists instead of throwing', () => {
    const qr = completePhq();
    qr.item!.push(null as never, { text: 'no linkId' } as never);
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([['malformed', 'QuestionnaireResponse.item']]);
    qr.item!.splice(-2);
    itemOf(qr, 'phq9-1').answer = { valueInteger: 1 } as never;
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([['malformed', `${item('phq9-1')}.answer`], ['required', `${item('phq9-1')}.answer`]]);
  });

  it('refuses something that is not a QuestionnaireResponse', () => {
    expect(validateResponse(PHQ, { resourceType: 'Patient' } as unknown as QuestionnaireResponse)).toEqual([
      expect.objectContaining({ rule: 'resource-type' }),
    ]);
  });
});
