import { z } from 'zod';

/**
 * Documents the body of `POST /api/questionnaires`: a FHIR R4 Questionnaire, or `{ questionnaire, scores,
 * safetyRules }` for one with scores and safety rules (validated by engine/import-validation.ts, which
 * locates each issue; this schema only shows the shape, with a synthetic example).
 */
export const questionnaireImportBody = z
  .looseObject({
    resourceType: z.literal('Questionnaire').optional().meta({ description: 'Present when the body is the Questionnaire itself' }),
    url: z.string().optional(),
    version: z.string().optional(),
    status: z.enum(['draft', 'active', 'retired', 'unknown']).optional(),
    item: z.array(z.looseObject({ linkId: z.string(), type: z.string() })).optional(),
    questionnaire: z.looseObject({ resourceType: z.literal('Questionnaire') }).optional().meta({ description: 'The Questionnaire, when scores or safetyRules come with it' }),
    scores: z.array(z.looseObject({ linkId: z.string() })).optional().meta({ description: 'Score items: code, unit, range, direction and bands' }),
    safetyRules: z.array(z.looseObject({ id: z.string(), expression: z.string() })).optional().meta({ description: 'FHIRPath rules that raise a safety alert' }),
  })
  .meta({
    description: "A clinic's own FHIR Questionnaire version, or { questionnaire, scores, safetyRules }",
    example: {
      resourceType: 'Questionnaire',
      url: 'https://clinic.example.org/fhir/Questionnaire/sleep-check',
      version: '2026.1',
      name: 'SleepCheck',
      title: 'Sleep check',
      status: 'active',
      subjectType: ['Patient'],
      item: [
        { linkId: 'sleep-hours', text: 'How many hours did you sleep last night?', type: 'integer', required: true },
        { linkId: 'sleep-note', text: 'Anything that disturbed your sleep?', type: 'string' },
      ],
    },
  });
