export { createMetrics, IMAGE_DURATION_BUCKETS, METRICS_PREFIX, outcomeOf, STAGE_DURATION_BUCKETS } from './registry.js';
export type { ImageOutcome, MetricsOptions, MetricsSources, OcrWorkerCounters, ServiceMetrics } from './registry.js';
export { METRICS_PATH, serveMetrics, startMetricsServer, type MetricsServer, type MetricsServerOptions } from './http.js';
