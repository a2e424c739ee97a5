// The pure parts of scripts/engine/images.js: what it reads from the repository and from Node's
// npm package. Building the images needs an engine and is exercised by the engine tests.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Images {
  brokerNodeVersion(dockerfile?: string): string;
  bundledNpmVersion(nodeDir: string, version: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const images = require('../../scripts/engine/images.js') as Images;

describe('brokerNodeVersion', () => {
  test('reads V from every FROM node:<V>-bookworm-slim line', () => {
    const dockerfile =
      'FROM node:24.21.0-bookworm-slim AS build\nRUN true\nFROM node:24.21.0-bookworm-slim\n';
    expect(images.brokerNodeVersion(dockerfile)).toBe('24.21.0');
  });

  test("matches the repository's broker/Dockerfile", () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'broker', 'Dockerfile'), 'utf8');
    expect(text).toContain(`FROM node:${images.brokerNodeVersion()}-bookworm-slim`);
  });

  test('refuses two versions, or none', () => {
    expect(() =>
      images.brokerNodeVersion(
        'FROM node:24.11.1-bookworm-slim AS b\nFROM node:24.21.0-bookworm-slim\n',
      ),
    ).toThrow('broker/Dockerfile uses several Node versions (24.11.1, 24.21.0); use one');
    expect(() => images.brokerNodeVersion('FROM node:24-bookworm-slim\n')).toThrow(
      'broker/Dockerfile has no "FROM node:<x.y.z>-bookworm-slim" line',
    );
  });
});

describe('bundledNpmVersion', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-changelog-'));
    fs.writeFileSync(
      path.join(dir, 'CHANGELOG.md'),
      [
        '# Node.js 24 ChangeLog',
        '<a href="#24.21.0">24.21.0</a><br/>',
        '## 2026-09-08, Version 24.21.0 (LTS)',
        '* **deps**: update undici',
        '## 2026-08-26, Version 24.20.0 (LTS)',
        '* **deps**: upgrade npm to 11.19.0 (npm team)',
        '* **deps**: upgrade npm to 11.18.0 (npm team)',
        '## 2026-08-03, Version 24.19.0 (LTS)',
        '* **deps**: upgrade npm to 11.17.0 (npm team)',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is the latest npm upgrade at or below the release heading', () => {
    expect(images.bundledNpmVersion(dir, '24.21.0')).toBe('11.19.0');
    expect(images.bundledNpmVersion(dir, '24.20.0')).toBe('11.19.0');
    expect(images.bundledNpmVersion(dir, '24.19.0')).toBe('11.17.0');
  });

  test('refuses a release the changelog does not have', () => {
    expect(() => images.bundledNpmVersion(dir, '24.2.0')).toThrow(
      'CHANGELOG.md has no heading for 24.2.0',
    );
  });
});
