import { getMetadataArgsStorage } from 'typeorm';
import { JOURNEY_STATES, isTerminal } from './journey.rules.js';
import { OPEN_REFERRAL_INDEX, OPEN_REFERRAL_STATES } from './open-referral.rules.js';
import { Referral } from './referral.entity.js';

describe('one open referral per patient and program', () => {
  it('counts a referral as open until it is declined, withdrawn or completed', () => {
    expect(OPEN_REFERRAL_STATES).toEqual(['referred', 'screened', 'accepted', 'enrolled', 'active']);
  });

  it("has the database index close exactly the journey's terminal states (the rule and the index never drift)", () => {
    const index = getMetadataArgsStorage().indices.find((i) => i.target === Referral && i.name === OPEN_REFERRAL_INDEX);
    expect(index).toMatchObject({ unique: true, columns: ['registrationId', 'patientId', 'programId'] });
    const closed = [...(index!.where ?? '').matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
    expect(closed.sort()).toEqual(JOURNEY_STATES.filter(isTerminal).sort());
  });
});
