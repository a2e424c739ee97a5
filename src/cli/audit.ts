import * as fs from 'fs';
import * as path from 'path';
import { auditStack, errorsOf, StackAudit } from '../checklist/engine';
import { appWideResources, readStack, TfStack, withElsewhere } from '../checklist/model';
import {
  renderJson,
  renderMarkdown,
  renderSarif,
  renderText,
  toolVersion,
} from '../checklist/reports';

/**
 * `cdktf-openclaw audit <cdktf.out folder | cdk.tf.json> [--format text|json|markdown|sarif]
 * [--stack <name>]...`, `cdktf-openclaw --help`, `cdktf-openclaw --version`.
 *
 * Audits synthesized Terraform JSON, including stacks this library did not make. Exit codes:
 * 0 no error finding, 1 error findings remain, 2 bad input or usage.
 */

const USAGE =
  'usage: cdktf-openclaw audit <cdktf.out folder or cdk.tf.json file> [--format text|json|markdown|sarif] [--stack <name>]...';

const HELP = `cdktf-openclaw ${'{version}'}: the OpenClaw hardening checklist for synthesized CDK for Terraform stacks

${USAGE}
       cdktf-openclaw --help | --version

  audit <path>       audit a cdktf.out folder (every stacks/<name>/cdk.tf.json) or one cdk.tf.json
  --format <f>       text (default: one line per finding and its remedy), json, markdown, sarif
  --stack <name>     audit only this stack of the folder (repeatable); the others still count for
                     app-wide rules such as the monthly review

Exit codes: 0 no error finding, 1 error findings remain, 2 bad input or usage.
`;
const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs the command line; returns the exit code. */
export function main(
  args: readonly string[],
  io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): number {
  const fail = (message: string): number => {
    io.err(`cdktf-openclaw: ${message}\n`);
    return 2;
  };
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP.replace('{version}', toolVersion()));
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${toolVersion()}\n`);
    return 0;
  }
  if (command !== 'audit')
    return fail(command === undefined ? USAGE : `unknown command "${command}"; ${USAGE}`);
  let format: Format = 'text';
  const targets: string[] = [];
  const only: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--help' || arg === '-h') {
      io.out(HELP.replace('{version}', toolVersion()));
      return 0;
    }
    if (arg === '--stack' || arg.startsWith('--stack=')) {
      const value = arg.includes('=') ? arg.slice('--stack='.length) : rest[++i];
      if (value === undefined || value === '' || value.startsWith('-'))
        return fail(
          `--stack needs a stack name (got ${value === undefined ? 'nothing' : `"${value}"`}); ${USAGE}`,
        );
      only.push(value);
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice('--format='.length) : rest[++i];
      if (!FORMATS.includes(value as Format))
        return fail(
          `--format must be one of ${FORMATS.join(', ')} (got ${value === undefined ? 'nothing' : `"${value}"`})`,
        );
      format = value as Format;
    } else if (arg.startsWith('-')) {
      return fail(`unknown option "${arg}"; ${USAGE}`);
    } else {
      targets.push(arg);
    }
  }
  if (targets.length !== 1) return fail(USAGE);

  let files: string[];
  try {
    files = stackFiles(targets[0]);
  } catch (e) {
    return fail((e as Error).message);
  }
  const stacks: { stack: TfStack; file: string; text: string }[] = [];
  for (const file of files) {
    let json: unknown;
    const text = fs.readFileSync(file, 'utf8');
    try {
      json = JSON.parse(text);
    } catch {
      return fail(`${file} is not JSON`);
    }
    try {
      stacks.push({ stack: readStack(json, path.basename(path.dirname(file))), file, text });
    } catch (e) {
      return fail(`${file}: ${(e as Error).message}`);
    }
  }
  // stacks of one cdktf.out are one app: app-wide rules (the monthly review) see all of them
  // a stack is named by its metadata or by its folder (cdktf.out/stacks/<name>)
  const namesOf = (s: (typeof stacks)[number]) => [
    s.stack.name,
    path.basename(path.dirname(s.file)),
  ];
  const names = [...new Set(stacks.flatMap(namesOf))];
  const missing = only.filter((n) => !names.includes(n));
  if (missing.length > 0)
    return fail(
      `--stack ${missing.map((n) => `"${n}"`).join(', ')} is not a stack of ${targets[0]}; its stacks are ${names.map((n) => `"${n}"`).join(', ')}`,
    );
  const audits: StackAudit[] = [];
  const artifacts = new Map<StackAudit, string>();
  const texts = new Map<StackAudit, string>();
  for (const { stack, file, text } of stacks) {
    if (only.length > 0 && !namesOf({ stack, file, text }).some((n) => only.includes(n))) continue;
    const elsewhere = stacks
      .filter((s) => s.stack !== stack)
      .flatMap((s) => appWideResources(s.stack));
    try {
      const audit = auditStack(withElsewhere(stack, elsewhere));
      audits.push(audit);
      artifacts.set(audit, file);
      texts.set(audit, text);
    } catch (e) {
      return fail(`${file}: ${(e as Error).message}`);
    }
  }

  switch (format) {
    case 'json':
      io.out(renderJson(audits));
      break;
    case 'markdown':
      io.out(audits.map(renderMarkdown).join('\n'));
      break;
    case 'sarif':
      io.out(
        renderSarif(
          audits,
          (a) => artifacts.get(a) ?? '',
          (a) => texts.get(a),
        ),
      );
      break;
    default:
      io.out(renderText(audits));
  }
  return audits.some((a) => errorsOf(a).length > 0) ? 1 : 0;
}

/** The cdk.tf.json files a path names: the file itself, or every stack of a cdktf.out folder. */
function stackFiles(target: string): string[] {
  if (!fs.existsSync(target)) throw new Error(`${target} does not exist`);
  if (fs.statSync(target).isFile()) return [target];
  const stacksDir = fs.existsSync(path.join(target, 'stacks'))
    ? path.join(target, 'stacks')
    : target;
  const direct = path.join(target, 'cdk.tf.json');
  if (fs.existsSync(direct)) return [direct];
  const files = fs
    .readdirSync(stacksDir)
    .map((name) => path.join(stacksDir, name, 'cdk.tf.json'))
    .filter((f) => fs.existsSync(f))
    .sort();
  if (files.length === 0)
    throw new Error(
      `${target} holds no stacks/<stack>/cdk.tf.json; pass a cdktf.out folder or a cdk.tf.json file`,
    );
  return files;
}
