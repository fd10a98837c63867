export { Batch } from './batch.js';
export * from './events.js';
export { BatchRejectedError, BatchRunner, failureOf, type BatchRunnerOptions, type ImageProcessor } from './runner.js';
export { FairScheduler, type Job } from './scheduler.js';
