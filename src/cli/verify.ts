import * as fs from 'fs';
import * as path from 'path';
import { VERIFY_CHECKS, VerifyFinding } from '../verify/checks';
import { DockerEngine } from '../verify/docker-engine';
import { plannedContainers, PlannedContainer } from '../verify/plan';
import { verifyDeployment } from '../verify/verify';

/**
 * `cdktf-openclaw verify <cdktf.out | cdk.tf.json> [--stack NAME]... [--format text|json|markdown|sarif]
 *   [--host-port N]... [--no-openclaw-audit]`
 *
 * Checks the containers on the Docker host that `DOCKER_HOST` names (the local socket by default;
 * `ssh://user@host` and `tcp://` work as for the docker CLI) against the synthesized stacks.
 * Exit codes: 0 everything verified, 1 findings, 2 bad input, usage, or no engine.
 */

const USAGE =
  'usage: cdktf-openclaw verify <cdktf.out folder or cdk.tf.json> [--stack NAME]... [--format text|json|markdown|sarif] [--host-port N]... [--no-openclaw-audit]';
const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export interface VerifyIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly engine?: DockerEngine;
}

export async function main(
  args: readonly string[],
  io: VerifyIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  const fail = (message: string): number => {
    io.err(`cdktf-openclaw verify: ${message}\n`);
    return 2;
  };
  let format: Format = 'text';
  const stacks: string[] = [];
  const hostPorts: number[] = [];
  let openclawAudit = true;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string | undefined =>
      arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
    if (arg === '--format' || arg.startsWith('--format=')) {
      const v = value();
      if (!FORMATS.includes(v as Format))
        return fail(
          `--format must be one of ${FORMATS.join(', ')} (got ${v === undefined ? 'nothing' : `"${v}"`})`,
        );
      format = v as Format;
    } else if (arg === '--stack' || arg.startsWith('--stack=')) {
      const v = value();
      if (!v) return fail(`--stack needs a stack name; ${USAGE}`);
      stacks.push(v);
    } else if (arg === '--host-port' || arg.startsWith('--host-port=')) {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1 || v > 65535)
        return fail(`--host-port must be a TCP port number (got "${args[i]}")`);
      hostPorts.push(v);
    } else if (arg === '--no-openclaw-audit') {
      openclawAudit = false;
    } else if (arg === '--help' || arg === '-h') {
      io.out(
        `${USAGE}\n\nChecks:\n${Object.entries(VERIFY_CHECKS)
          .map(([id, what]) => `  ${id}: ${what}`)
          .join('\n')}\n`,
      );
      return 0;
    } else if (arg.startsWith('-')) {
      return fail(`unknown option "${arg}"; ${USAGE}`);
    } else targets.push(arg);
  }
  if (targets.length !== 1) return fail(USAGE);

  let planned: PlannedContainer[];
  try {
    planned = readPlan(targets[0], stacks);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (planned.length === 0)
    return fail(`${targets[0]} plans no OpenClaw cell container (none labelled openclaw.role)`);
  let engine: DockerEngine;
  try {
    engine = io.engine ?? DockerEngine.fromEnvironment();
  } catch (e) {
    return fail((e as Error).message);
  }
  let findings: VerifyFinding[];
  try {
    findings = await verifyDeployment(engine, planned, {
      ...(hostPorts.length > 0 ? { hostPorts } : {}),
      openclawAudit,
      log: (l) => io.err(`${l}\n`),
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  io.out(render(format, findings, planned, targets[0]));
  return findings.length > 0 ? 1 : 0;
}

/** The cell containers of the named stacks (all stacks when none is named). */
export function readPlan(target: string, stacks: readonly string[]): PlannedContainer[] {
  if (!fs.existsSync(target)) throw new Error(`${target} does not exist`);
  let files: { stack: string; file: string }[];
  if (fs.statSync(target).isFile())
    files = [{ stack: path.basename(path.dirname(target)), file: target }];
  else {
    const dir = fs.existsSync(path.join(target, 'stacks')) ? path.join(target, 'stacks') : target;
    files = fs
      .readdirSync(dir)
      .filter((s) => fs.existsSync(path.join(dir, s, 'cdk.tf.json')))
      .sort()
      .map((s) => ({ stack: s, file: path.join(dir, s, 'cdk.tf.json') }));
  }
  for (const s of stacks)
    if (!files.some((f) => f.stack === s))
      throw new Error(
        `no stack "${s}" in ${target}; stacks: ${files.map((f) => f.stack).join(', ')}`,
      );
  return files
    .filter((f) => stacks.length === 0 || stacks.includes(f.stack))
    .flatMap((f) => {
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(f.file, 'utf8'));
      } catch {
        throw new Error(`${f.file} is not JSON`);
      }
      return plannedContainers(f.stack, json);
    });
}

/** The findings in the chosen format. */
export function render(
  format: Format,
  findings: readonly VerifyFinding[],
  planned: readonly PlannedContainer[],
  artifact: string,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ verified: planned.map((p) => p.name), findings }, null, 2)}\n`;
    case 'markdown':
      return [
        '# cdktf-openclaw verify',
        '',
        `${planned.length} containers checked, ${findings.length} findings.`,
        '',
        ...(findings.length > 0
          ? [
              '| Check | Container | Found | Fix |',
              '| --- | --- | --- | --- |',
              ...findings.map(
                (f) =>
                  `| ${f.id} | ${f.container} | ${f.message.replace(/\|/g, '\\|')} | ${f.fix.replace(/\|/g, '\\|')} |`,
              ),
            ]
          : []),
        '',
      ].join('\n');
    case 'sarif': {
      const ids = Object.keys(VERIFY_CHECKS);
      return `${JSON.stringify(
        {
          $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
          version: '2.1.0',
          runs: [
            {
              tool: {
                driver: {
                  name: 'cdktf-openclaw verify',
                  rules: ids.map((id) => ({
                    id,
                    shortDescription: { text: VERIFY_CHECKS[id] },
                    defaultConfiguration: { level: 'error' },
                  })),
                },
              },
              results: findings.map((f) => ({
                ruleId: f.id,
                ruleIndex: ids.indexOf(f.id),
                level: 'error',
                message: { text: `${f.container}: ${f.message}. ${f.fix}` },
                locations: [
                  {
                    physicalLocation: { artifactLocation: { uri: artifact } },
                    logicalLocations: [{ fullyQualifiedName: f.container, kind: 'container' }],
                  },
                ],
              })),
            },
          ],
        },
        null,
        2,
      )}\n`;
    }
    default:
      return findings.length === 0
        ? `verified ${planned.length} containers: no finding\n`
        : `${findings.map((f) => `${f.id} ${f.container}: ${f.message}\n  fix: ${f.fix}`).join('\n')}\n${findings.length} findings in ${planned.length} containers\n`;
  }
}
