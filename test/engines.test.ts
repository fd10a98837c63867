/**
 * The Node version story holds: every package the lock file installs accepts the Node that runs the tests
 * (so `npm ci` prints no EBADENGINE warning; package.json `overrides` pin the few that moved to Node 22),
 * and the README names the same minimum as package.json `engines`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/env.js';

type Version = [number, number, number];

function parse(v: string): Version {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
  return [a, b, c];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** One comparator of a semver range as npm packages write `engines.node` (>=, >, <=, <, ^, ~, =, bare, x). */
const given = (part: string | undefined) => part !== undefined && part !== 'x' && part !== '*';

function satisfiesOne(version: Version, comparator: string): boolean {
  const m = /^(>=|<=|>|<|\^|~|=)?\s*v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator.trim());
  if (!m) throw new Error(`cannot read the range part "${comparator}"`);
  const [, op = '', major, minor, patch] = m;
  if (major === 'x' || major === '*') return true;
  const wanted: Version = [
    Number(major),
    minor && minor !== 'x' && minor !== '*' ? Number(minor) : 0,
    patch && patch !== 'x' && patch !== '*' ? Number(patch) : 0,
  ];
  const c = compare(version, wanted);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '^':
      return c >= 0 && version[0] === wanted[0];
    case '~':
      return c >= 0 && version[0] === wanted[0] && version[1] === wanted[1];
    default:
      // `20`, `20.19`, `=20.19.0`, `20.x`: the parts given (other than x or *) must match.
      return version[0] === wanted[0] && (!given(minor) || version[1] === wanted[1]) && (!given(patch) || version[2] === wanted[2]);
  }
}

/** Whether `version` satisfies `range` (`a b || c`: every comparator of some alternative). */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => satisfiesOne(v, c)),
  );
}

const lock = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

describe('Node engines', () => {
  it('reads ranges the way npm does for the forms in the lock file', () => {
    expect(satisfies('20.20.2', '>=20.19')).toBe(true);
    expect(satisfies('20.18.0', '>=20.19')).toBe(false);
    expect(satisfies('20.20.2', '>=22.15.0')).toBe(false);
    expect(satisfies('20.20.2', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.20.2', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfies('20.20.2', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('21.0.0', '18 || 20 || >=22')).toBe(false);
    expect(satisfies('20.20.2', '^12.20.0 || ^14.13.1 || >=16.0.0')).toBe(true);
    expect(satisfies('20.20.2', '20.x || 22.x || 23.x')).toBe(true);
    expect(satisfies('21.1.0', '20.x || 22.x || 23.x')).toBe(false);
  });

  it(`every package of the lock file accepts this Node (${process.version}): no EBADENGINE on npm ci`, () => {
    const refused = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !satisfies(process.version, (p.engines as { node: string }).node))
      .map(([name, p]) => `${name}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });

  it('package.json engines accepts this Node, and the README names the same minimum', () => {
    expect(satisfies(process.version, pkg.engines.node)).toBe(true);
    const minimum = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
    expect(minimum).toBeTruthy();
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`Needs Node 20 (${minimum} or later`);
  });
});
