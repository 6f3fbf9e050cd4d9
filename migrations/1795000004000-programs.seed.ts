/**
 * The programs the module ships with, as data for the 1795000004000 migration. Frozen: a change to a
 * program is a new version published through the API (or a new migration), never an edit here.
 * Instruments are the questionnaires' canonical URLs (see src/questionnaires); windows are days from the
 * first session (negative = before it).
 */
const Q = (name: string) => `https://als-wellness.example.org/fhir/Questionnaire/${name}`;
const OUTCOMES = [Q('phq-9'), Q('gad-7'), Q('who-5'), Q('scs-sf')];

const ALS_DIAGNOSIS = { id: 'als-diagnosis', text: 'Lives with ALS (MND) confirmed by the treating neurologist, or cares for someone who does' };
const ONLINE = { id: 'online-access', text: 'Can join an online video session, with help if needed' };
const NO_CRISIS = { id: 'no-acute-crisis', text: 'No acute psychiatric crisis or active suicidal plan (refer to urgent care instead)' };

export const PROGRAM_SEED = [
  {
    slug: 'mindful-self-compassion-als',
    kind: 'group-course',
    version: '1.0.0',
    title: 'Mindful Self-Compassion for ALS: 8-week online group course',
    description:
      'The Mindful Self-Compassion course adapted for people living with ALS and their caregivers: eight weekly 90-minute ' +
      'online group sessions with guided meditation, sharing, supportive touch (or its visualisation for those who cannot ' +
      'move) and work on core values.',
    sessionCount: 8,
    cadenceDays: 7,
    sessionMinutes: 90,
    capacity: 12,
    audience: ['patient', 'caregiver'],
    activities: [
      { code: 'guided-meditation', title: 'Guided meditation', description: 'Adapted to breathing support and limited mobility.' },
      { code: 'sharing', title: 'Sharing in the group' },
      { code: 'supportive-touch', title: 'Supportive touch', description: 'Or its visualisation, for those who cannot move.' },
      { code: 'core-values', title: 'Core values' },
    ],
    eligibility: [
      ALS_DIAGNOSIS,
      ONLINE,
      { id: 'group-communication', text: 'Can follow a group conversation (speech, text or assistive communication)' },
      NO_CRISIS,
      { id: 'commitment', text: 'Intends to attend at least 6 of the 8 weekly sessions' },
    ],
    completionRule: { minAttended: 6, requirePostQuestionnaires: true },
    timepoints: [
      { code: 'baseline', instruments: OUTCOMES, dueFromDays: -14, dueToDays: 0 },
      { code: 'mid', instruments: [Q('who-5'), Q('scs-sf')], dueFromDays: 21, dueToDays: 28 },
      { code: 'post', instruments: [...OUTCOMES, Q('program-satisfaction')], dueFromDays: 49, dueToDays: 63 },
      { code: 'follow-up', instruments: OUTCOMES, dueFromDays: 133, dueToDays: 161 },
    ],
  },
  {
    slug: 'mindfulness-practice',
    kind: 'group-course',
    version: '1.0.0',
    title: 'Mindfulness practice group: 6 weekly online sessions',
    description:
      'A lighter weekly practice group for people living with ALS and their caregivers: short guided practices adapted ' +
      'to fatigue and reduced mobility, and a review of home practice.',
    sessionCount: 6,
    cadenceDays: 7,
    sessionMinutes: 45,
    capacity: 15,
    audience: ['patient', 'caregiver'],
    activities: [
      { code: 'breath-awareness', title: 'Breath awareness', description: 'Paced to each person\'s breathing support.' },
      { code: 'adapted-body-scan', title: 'Body scan adapted for reduced mobility' },
      { code: 'home-practice-review', title: 'Home practice review' },
    ],
    eligibility: [ALS_DIAGNOSIS, ONLINE, NO_CRISIS],
    completionRule: { minAttended: 4, requirePostQuestionnaires: true },
    timepoints: [
      { code: 'baseline', instruments: [Q('phq-9'), Q('gad-7'), Q('who-5')], dueFromDays: -14, dueToDays: 0 },
      { code: 'post', instruments: [Q('phq-9'), Q('gad-7'), Q('who-5'), Q('program-satisfaction')], dueFromDays: 35, dueToDays: 49 },
    ],
  },
  {
    slug: 'music-rhythm-therapy',
    kind: 'individual',
    version: '1.0.0',
    title: 'Individual music and rhythm therapy',
    description:
      'Individual sessions with a music therapist, every two weeks: receptive listening, rhythm-based movement adapted to ' +
      'motor function, and voice or AAC-supported music making. A caregiver may join.',
    sessionCount: 6,
    cadenceDays: 14,
    sessionMinutes: 45,
    capacity: 1,
    audience: ['patient', 'caregiver'],
    activities: [
      { code: 'receptive-listening', title: 'Receptive listening and relaxation' },
      { code: 'rhythm-movement', title: 'Rhythm-based movement adapted to motor function' },
      { code: 'music-making', title: 'Voice work or AAC-supported music making' },
    ],
    eligibility: [
      ALS_DIAGNOSIS,
      { id: 'therapist-assessment', text: "The music therapist's initial assessment is done" },
      { id: 'hearing', text: 'Can hear music at a comfortable volume, aided or not' },
    ],
    completionRule: { minAttended: 4, requirePostQuestionnaires: false },
    timepoints: [
      { code: 'baseline', instruments: [Q('phq-9'), Q('who-5')], dueFromDays: -14, dueToDays: 0 },
      { code: 'post', instruments: [Q('phq-9'), Q('who-5'), Q('program-satisfaction')], dueFromDays: 70, dueToDays: 84 },
    ],
  },
] as const;
