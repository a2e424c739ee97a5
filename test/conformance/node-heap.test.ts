/**
 * GIVEN every Node container of the example stacks (gateways, brokers, MCP servers)
 * WHEN Node 24 (the oracle's, the major the images run) starts with the container's NODE_OPTIONS
 * THEN V8's whole heap limit is inside three quarters of the container's memory.
 *
 * Node 24's V8 sizes the young generation from the old space, so an old-space cap alone does not
 * bound the heap: this runs the real runtime rather than trusting the arithmetic.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { App } from 'cdktf';
import { buildExamples } from '../../examples/app';
import { assertOracleInstalled, ORACLE_NODE } from './oracle';

jest.setTimeout(60_000);

beforeAll(() => assertOracleInstalled());

interface NodeContainer {
  readonly name: string;
  readonly nodeOptions: string;
  readonly memoryMiB: number;
}

function nodeContainers(): NodeContainer[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'node-heap-')) });
  buildExamples(app);
  const out: NodeContainer[] = [];
  for (const c of app.node.findAll()) {
    if (!(c instanceof Container)) continue;
    const env = c.envInput ?? [];
    const options = env.find((e) => e.startsWith('NODE_OPTIONS='));
    if (options === undefined) continue;
    out.push({
      name: String(c.nameInput),
      nodeOptions: options.slice('NODE_OPTIONS='.length),
      memoryMiB: Number(c.memoryInput),
    });
  }
  return out;
}

/** V8's heap size limit, in MiB, of Node 24 started with these options. */
function heapLimitMiB(nodeOptions: string): number {
  const r = spawnSync(
    ORACLE_NODE,
    ['-e', "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))"],
    { env: { PATH: '/usr/bin:/bin', NODE_OPTIONS: nodeOptions }, encoding: 'utf8' },
  );
  expect([r.status, r.stderr]).toEqual([0, '']);
  return Number(r.stdout) / (1024 * 1024);
}

const containers = nodeContainers();

test('the examples have Node gateways, brokers and MCP servers', () => {
  const names = containers.map((c) => c.name);
  for (const role of [/-gateway$/, /-broker$/, /-mcp-/])
    expect([role.source, names.some((n) => role.test(n))]).toEqual([role.source, true]);
  expect(spawnSync(ORACLE_NODE, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./);
});

test.each(
  [...new Map(containers.map((c) => [`${c.nodeOptions} in ${c.memoryMiB} MiB`, c])).values()].map(
    (c) => [`${c.nodeOptions} in ${c.memoryMiB} MiB (${c.name})`, c] as const,
  ),
)('%s: the whole V8 heap fits in three quarters', (_, c) => {
  expect(c.memoryMiB).toBeGreaterThan(0);
  expect(heapLimitMiB(c.nodeOptions)).toBeLessThanOrEqual(c.memoryMiB * 0.75);
});

test("without the semi-space cap, a companion's old space alone would let the heap outgrow its container", () => {
  // what the broker and the MCP servers had before: only --max-old-space-size
  const companion = containers.find((c) => /-broker$/.test(c.name))!;
  const oldSpaceOnly = companion.nodeOptions.replace(/\s*--max-semi-space-size=\d+/, '');
  expect(oldSpaceOnly).not.toBe(companion.nodeOptions);
  expect(heapLimitMiB(oldSpaceOnly)).toBeGreaterThan(companion.memoryMiB * 0.75);
});
