/**
 * The environment of a service started as a child process: this process's, without the settings that
 * choose a store or a role. CI exports REDIS_URL for the Redis tests; a child meant for the embedded store
 * must not inherit it (REDIS_URL alone would make it a Redis one, or a setup error beside STORE).
 */
const CHOOSERS = ['REDIS_URL', 'REDIS_PREFIX', 'STORE', 'ROLE', 'DATA_DIR', 'TEST_PAUSE_AT', 'METRICS_PORT'];

export function childEnv(settings: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CHOOSERS) delete env[key];
  return { ...env, ...settings };
}
