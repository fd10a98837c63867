/** Reading Prometheus' text exposition format in tests. */

export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
}

/** `GET url` (a /metrics URL). */
export async function scrape(url: string, init: RequestInit = {}): Promise<Scrape> {
  const response = await fetch(url, init);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/**
 * The value of the sample `name` whose labels are exactly `labels` (no other label), or undefined when
 * the text has none.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    const keys = Object.keys(have);
    if (keys.length === Object.keys(labels).length && keys.every((k) => labels[k] === have[k])) return Number(match[3]);
  }
  return undefined;
}

/** The `# TYPE` of a metric, or undefined when the text does not declare it. */
export function typeOf(text: string, name: string): string | undefined {
  return new RegExp(`^# TYPE ${name} (\\w+)$`, 'm').exec(text)?.[1];
}
