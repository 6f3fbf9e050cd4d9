import { rewriteReferences } from './references.js';

describe('rewriteReferences', () => {
  it('replaces urn:uuid references at any depth and leaves everything else alone', () => {
    const map = new Map([['urn:uuid:a', 'ServiceRequest/sr1']]);
    const task = {
      resourceType: 'Task',
      focus: { reference: 'urn:uuid:a' },
      input: [{ valueReference: { reference: 'urn:uuid:a' } }, { valueString: 'urn:uuid:a' }],
      for: { reference: 'Patient/p1' },
      owner: { reference: 'urn:uuid:unknown' },
    };
    const out = rewriteReferences(task, map);
    expect(out.focus.reference).toBe('ServiceRequest/sr1');
    expect(out.input[0].valueReference!.reference).toBe('ServiceRequest/sr1');
    expect(out.input[1].valueString).toBe('urn:uuid:a');
    expect(out.for.reference).toBe('Patient/p1');
    expect(out.owner.reference).toBe('urn:uuid:unknown');
    expect(task.focus.reference).toBe('urn:uuid:a');
  });
});
