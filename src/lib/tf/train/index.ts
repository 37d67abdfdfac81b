/**
 * Training and measuring any Model (model/model.ts) with the AdaSAM family: the race, the η
 * statistics, λ_max, loss slices and the linear speed-up experiment, one module each.
 */
export { stepDiagnostics, type StepDiagnostics } from './diagnostics';
export { etaStatistics } from './etaStats';
export { hessianTopEigen } from './hessian';
export { Race, type RaceOptions, type RaceRun, type RunStepResult, type Snapshot } from './race';
export { filterNormalizedDirection, lossSlice, type SliceOptions } from './slice';
export { speedupExperiment, type SpeedupOptions } from './speedup';
export { evaluateOn, tokenData } from './tokenData';
export { fixedLoss, trainStep, type EvalResult, type TrainingData } from './trainingData';
