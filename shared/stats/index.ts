/**
 * Public API of the statistics core: pure, seeded functions over counts that run in main, the
 * CLI and the renderer alike (no Node or DOM APIs). Start with `estimate`.
 */
export { calibrationWarnings, labelingAdvice, leeAllocation, WARNING_THRESHOLDS } from './advice'
export type { Allocation, LabelingAdvice, StatsWarning, WarningInput } from './advice'
export { agreement, kappaInterval, KAPPA_INTERVAL_METHOD, KAPPA_INTERVAL_NAME } from './agreement'
export type { Agreement } from './agreement'
export { betaQuantile, clopperPearsonInterval, logGamma, regularizedBeta } from './beta'
export { bcaInterval, bcaLevels, jackknifeAcceleration } from './bca'
export type { BcaLevels } from './bca'
export { binomial, binomialBtrs, binomialPmf, BinomialFamily, createBinomialSampler, multinomial } from './binomial'
export type { BinomialPmf } from './binomial'
export { bootstrapDraws, countsToArrays, indexBootstrapDraws } from './bootstrap'
export type { BootstrapDraws, ResamplingDesign } from './bootstrap'
export { confusionFromVerdicts, countPasses, countsFromArrays } from './confusion'
export type { BinaryValue, CalibrationCounts, ConfusionCounts } from './confusion'
export { isStatsError, StatsError } from './errors'
export type { StatsErrorCode } from './errors'
export {
  DEFAULT_CONFIDENCE,
  DEFAULT_ITERATIONS,
  DEFAULT_METHOD,
  DEFAULT_SEED,
  estimate,
  INTERVAL_METHODS,
  MAX_ITERATIONS,
} from './estimate'
export type { EstimateInput, EstimateResult, IntervalMethod } from './estimate'
export { COVERAGE_SCENARIOS, formatCoverageTable, simulateCoverage } from './coverage'
export type { CoverageCell, CoverageOptions, CoverageScenario } from './coverage'
export {
  kappaBootstrapInterval,
  kappaCells,
  kappaGoodnessOfFitInterval,
  kappaScenarios,
  KAPPA_METHODS,
  kappaWaldInterval,
  simulateKappaCoverage,
} from './kappa-coverage'
export type { KappaCoverageCell, KappaCoverageOptions, KappaMethod, KappaScenario } from './kappa-coverage'
export { EXACT_MAX_N, exactBootstrapInterval, weightedQuantiles } from './exact'
export type { ExactInterval } from './exact'
export { langReiczigelInterval, waldInterval } from './lang-reiczigel'
export type { AnalyticInterval } from './lang-reiczigel'
export { ALL_MODES, estimateModes } from './multi-mode'
export type { ModeData, ModeEstimate, MultiModeInput, MultiModeResult } from './multi-mode'
export { normalCdf, normalPdf, normalQuantile, zForConfidence } from './normal'
export { countBelow, percentileInterval, quantilesType7, quantileType7 } from './quantile'
export { judgeRates, secondaryMetrics, wilsonInterval } from './rates'
export type { RateInterval, SecondaryMetrics } from './rates'
export { createRng, PRNG_NAME } from './rng'
export { AUDIT_INTERVAL, AUDIT_INTERVALS, stratifiedEstimate, stratifiedWith } from './stratified'
export type { AuditIntervalId, StratifiedResult, Stratum, StratumEstimate } from './stratified'
export { PPI_ASSUMPTION, PPI_INTERVAL, PPI_INTERVALS, ppiEstimate, ppiPoint, ppiWith, tQuantile } from './ppi'
export type { PpiCounts, PpiIntervalId, PpiResult } from './ppi'
export { auditNext, DEFAULT_MIN_PER_STRATUM, neymanAllocation, rgNext } from './allocation'
export { AUDIT_SCENARIOS, formatAuditCoverageTable, isIid, simulateAuditCoverage, widthRatio } from './audit-coverage'
export type { AuditCoverageCell, AuditCoverageOptions, AuditScenario } from './audit-coverage'
export type { Rng } from './rng'
export { clip01, judgeBeatsChance, resampleTheta, roganGladen, validateCounts } from './rogan-gladen'
export type { PointEstimate } from './rogan-gladen'
export {
  applyErrorPolicy,
  applyErrorPolicyToMatrix,
  applyErrorPolicyToProduction,
  checkErrorCounts,
  checkErrorPolicy,
  DEFAULT_ERROR_POLICY,
  describeErrors,
  ERROR_POLICIES,
  errorPolicyEffect,
  NO_ERRORS,
} from './error-policy'
export type { ErrorCounts, ErrorPolicy } from './error-policy'
