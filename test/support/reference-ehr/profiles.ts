/**
 * What one kind of EHR supports. The CapabilityStatement says exactly this, and the host refuses the rest
 * with 400 `not-supported`: an EHR that quietly treated a conditional create as a plain create would let
 * duplicates through, so the refusal must be loud.
 */
export interface ReferenceEhrProfile {
  name: string;
  /** POST of a Bundle with type `transaction` at the base. */
  transactions: boolean;
  /** POST of a Bundle with type `batch` at the base. */
  batch: boolean;
  /** `If-None-Exist` on a create, as a header or as `request.ifNoneExist` in a Bundle entry. */
  conditionalCreate: boolean;
  /** `PUT Type?search`, on its own or in a Bundle entry. */
  conditionalUpdate: boolean;
}

/** The EHRs our write-back must cope with, from the most capable to a plain REST server. */
export const EHR_PROFILES = {
  /** Everything, within the engine's own limit of 8 entries in a transaction that has conditional writes. */
  transaction: { name: 'transaction', transactions: true, batch: true, conditionalCreate: true, conditionalUpdate: true },
  /** No Bundles at all: read, search, create, update, with conditional create and update. */
  restOnly: { name: 'rest-only', transactions: false, batch: false, conditionalCreate: true, conditionalUpdate: true },
  /** Transactions and batch, but neither conditional create nor conditional update. */
  noConditionalCreate: { name: 'no-conditional-create', transactions: true, batch: true, conditionalCreate: false, conditionalUpdate: false },
} as const satisfies Record<string, ReferenceEhrProfile>;
