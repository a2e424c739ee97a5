import * as fs from 'fs';
import * as path from 'path';
import { auditStack, errorsOf, StackAudit } from '../checklist/engine';
import { appWideResources, readStack, TfStack, withElsewhere } from '../checklist/model';
import { renderJson, renderMarkdown, renderSarif, renderText } from '../checklist/reports';

/**
 * `cdktf-openclaw audit <cdktf.out folder | cdk.tf.json> [--format text|json|markdown|sarif]`
 *
 * Audits synthesized Terraform JSON, including stacks this library did not make. Exit codes:
 * 0 no error finding, 1 error findings remain, 2 bad input or usage.
 */

const USAGE =
  'usage: cdktf-openclaw audit <cdktf.out folder or cdk.tf.json file> [--format text|json|markdown|sarif]';
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
  if (command !== 'audit')
    return fail(command === undefined ? USAGE : `unknown command "${command}"; ${USAGE}`);
  let format: Format = 'text';
  const targets: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--format' || arg.startsWith('--format=')) {
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
  const stacks: { stack: TfStack; file: string }[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return fail(`${file} is not JSON`);
    }
    try {
      stacks.push({ stack: readStack(json, path.basename(path.dirname(file))), file });
    } catch (e) {
      return fail(`${file}: ${(e as Error).message}`);
    }
  }
  // stacks of one cdktf.out are one app: app-wide rules (the monthly review) see all of them
  const audits: StackAudit[] = [];
  const artifacts = new Map<StackAudit, string>();
  for (const { stack, file } of stacks) {
    const elsewhere = stacks
      .filter((s) => s.stack !== stack)
      .flatMap((s) => appWideResources(s.stack));
    try {
      const audit = auditStack(withElsewhere(stack, elsewhere));
      audits.push(audit);
      artifacts.set(audit, file);
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
      io.out(renderSarif(audits, (a) => artifacts.get(a) ?? ''));
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
