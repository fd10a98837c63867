export * from './events.js';
export * from './ports.js';
export { StoreSetupError } from './setup-error.js';
export { createBackend, storeSettingsFromEnv, type StoreSettings } from './create-backend.js';
export { applyEvent, type BatchState } from './state.js';
export {
  BatchRejectedError,
  BatchRunner,
  failureOf,
  PAUSE_POINTS,
  type BatchRunnerOptions,
  type BatchView,
  type ImageProcessor,
  type PausePoint,
} from './runner.js';
export { FairScheduler, type Job } from './scheduler.js';
