/** Rising terms and near-duplicate keys: the public interface of this folder. */
export { nearDuplicateKeyOf, nearDuplicateWords } from "./near-duplicate";
export type { NearDuplicateInput } from "./near-duplicate";
export { termDocOf, isCandidateTerm } from "./term-doc";
export type { TermDoc, TermDocInput, PhraseRef } from "./term-doc";
export { risingTermsOf, jlhScore, smoothedBackgroundShare, RISING_TERMS_DEFAULTS } from "./rising-terms";
export type { RisingTerm, RisingTermsOptions, PeriodCount } from "./rising-terms";
export { hash64 } from "./hash";
