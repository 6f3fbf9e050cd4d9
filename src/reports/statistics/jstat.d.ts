// jstat ships no type declarations and @types/jstat does not exist; this declares only what
// distributions.ts uses. The package is CommonJS (module.exports = jStat).
declare module 'jstat' {
  interface NoncentralT {
    /** P(T ≤ x) for the noncentral t with `dof` degrees of freedom and noncentrality `ncp`. */
    cdf(x: number, dof: number, ncp: number): number;
  }
  const jStat: { noncentralt: NoncentralT };
  export = jStat;
}
