import * as fs from 'fs';
import * as path from 'path';
import * as api from '../src';
import { PUBLIC_RUNTIME_EXPORTS, PUBLIC_TYPE_EXPORTS } from './public-api';

/** The names in `export type { ... }` statements of src/index.ts. */
function typeExports(): string[] {
  const index = fs.readFileSync(path.join(__dirname, '..', 'src', 'index.ts'), 'utf8');
  return [...index.matchAll(/export type \{([^}]*)\}/g)]
    .flatMap((m) => m[1].split(','))
    .map((n) => n.trim())
    .filter(Boolean)
    .sort();
}

describe('the public API', () => {
  test('the runtime exports are exactly the pinned list (change it on purpose, with a CHANGELOG line)', () => {
    expect(Object.keys(api).sort()).toEqual(PUBLIC_RUNTIME_EXPORTS);
  });

  test('the type-only exports are exactly the pinned list', () => {
    expect(typeExports()).toEqual(PUBLIC_TYPE_EXPORTS);
  });

  test('src/index.ts names every export: no `export *`', () => {
    const index = fs.readFileSync(path.join(__dirname, '..', 'src', 'index.ts'), 'utf8');
    expect(index).not.toMatch(/export \*/);
  });

  test.each([
    'startScript',
    'terraformName',
    'addOverrides',
    'escapeTerraformTemplate',
    'brokerSourceDir',
  ])('the internal helper %s is not exported', (name) => {
    expect(Object.keys(api)).not.toContain(name);
  });
});
