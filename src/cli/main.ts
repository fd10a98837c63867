#!/usr/bin/env node
/**
 * The package's command, `decklist-ocr` (package.json `bin`; `npx decklist-ocr …` in the project):
 *   decklist-ocr ocr [--json] <image>...      read screenshots here (no service needed)
 *   decklist-ocr client [options] <image>...  send them to a running service
 *   decklist-ocr serve                        run the GraphQL service (what `npm start` runs)
 * Each subcommand loads only what it needs (the client never starts OCR workers).
 */
import { isEntryPoint } from '../entry.js';

const USAGE = `usage: decklist-ocr <command> [options]
  ocr [--json] <image>...                    read decklist screenshots in this process
  client [--url URL] [--api-key KEY] [--single-connection] [--json] <image>...
                                             send them to a running service ($DECKLIST_OCR_URL, $DECKLIST_OCR_API_KEY)
  serve                                      run the GraphQL service (settings from the environment)`;

/** Runs `decklist-ocr` with its arguments; resolves with the exit code (the service keeps running for `serve`). */
async function runCommand(argv: string[]): Promise<number | null> {
  const [command, ...args] = argv;
  switch (command) {
    case 'ocr':
      return (await import('./ocr.js')).runOcr(args);
    case 'client':
      return (await import('../client/cli.js')).runClient(args);
    case 'serve':
      if (args.length > 0) break;
      await (await import('../main.js')).runService();
      return null;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

if (isEntryPoint(import.meta.url)) {
  const code = await runCommand(process.argv.slice(2));
  if (code !== null) process.exitCode = code;
}
