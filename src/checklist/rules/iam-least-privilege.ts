import { blocks, list, obj } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Services whose wildcards hand out credentials or keys. */
const SENSITIVE = ['secretsmanager', 'kms', 'ssm', 'iam', 'sts'];

/**
 * AWS-managed policies that grant far more than an agent needs: administrator and job-function
 * policies, every `*FullAccess`, read-everything policies (they read parameters), and the few
 * older service policies with wildcards inside.
 */
const BROAD_MANAGED =
  /^arn:aws[a-z-]*:iam::aws:policy\/(?:[a-z-]+\/)*(AdministratorAccess[A-Za-z-]*|PowerUserAccess|[A-Za-z0-9_-]*FullAccess[A-Za-z0-9_-]*|SecretsManagerReadWrite|AWSKeyManagementServicePowerUser|AmazonEC2RoleforSSM|ReadOnlyAccess|ViewOnlyAccess|SystemAdministrator|NetworkAdministrator|DatabaseAdministrator|DataScientist|SupportUser)$/;

/**
 * True when an ARN's resource part is a wildcard over a service's credentials: `*`, `secret:*`,
 * `key/*`, `alias/*`, `parameter/*`, `parameter/openclaw/*` (every agent). A secret's generated
 * suffix (`secret:openclaw/gw/token-*` or `-??????`) and a per-agent prefix with two or more
 * segments (`parameter/openclaw/research/*`) are exact enough.
 */
export function isWildcardArn(arn: string): boolean {
  if (arn === '*') return true;
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(arn);
  if (!m) return /\*/.test(arn) && !arn.startsWith('${');
  const [, service, resource] = m;
  if (!SENSITIVE.includes(service.toLowerCase()) && service !== '*') return false;
  if (!/[*?]/.test(resource)) return false;
  const typed = /^([a-z-]+)([:/])(.*)$/.exec(resource);
  if (!typed) return true; // `*`, `secret*`, `*:*`
  const [, type, , name] = typed;
  if (service === 'secretsmanager' && type === 'secret') {
    const base = name.replace(/-(\*|\?{6})$/, '');
    return /[*?]/.test(base) || base.length === 0;
  }
  if (type === 'key' || type === 'alias') return true;
  const before = name.slice(0, name.search(/[*?]/));
  return before.split('/').filter(Boolean).length < 2;
}

/** Condition keys that pin a `Principal "*"` statement to known callers. */
const PRINCIPAL_PINS = [
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:sourceaccount',
  'aws:sourcearn',
];

/** A principal that is anyone: `"*"` or `{ "AWS": "*" }`. */
function isAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  return list(obj(principal).AWS).some((p) => p === '*');
}

/** The account-root principal of a key policy's default statement. */
function isAccountRoot(principal: unknown): boolean {
  const aws = list(obj(principal).AWS).map(String);
  return (
    aws.length > 0 &&
    aws.every((p) => /^arn:aws[a-z-]*:iam::(\d{12}|\$\{[^}]+\}):root$|^\d{12}$/.test(p))
  );
}

/**
 * Item 9: IAM grants are scoped: no `*` action, no `service:*` on credential services, no
 * NotAction allows, no wildcard resources for secrets, keys or parameters, and no broad
 * AWS-managed policies attached.
 */
export const iamLeastPrivilege: ResourceRule = (resource) => {
  const documents: { where: string; doc: unknown }[] = [];
  switch (resource.type) {
    case 'aws_iam_policy':
    case 'aws_iam_role_policy':
    case 'aws_iam_user_policy':
    case 'aws_iam_group_policy':
    case 'aws_secretsmanager_secret_policy':
    case 'aws_kms_key':
      documents.push({ where: 'policy', doc: resource.attributes.policy });
      break;
    case 'aws_iam_role':
      for (const p of blocks(resource.attributes.inline_policy)) {
        documents.push({ where: `inline policy ${String(p.name ?? '')}`.trim(), doc: p.policy });
      }
      for (const arn of list(resource.attributes.managed_policy_arns))
        documents.push({ where: 'managed policy', doc: { managedArn: arn } });
      break;
    case 'aws_iam_role_policy_attachment':
    case 'aws_iam_user_policy_attachment':
    case 'aws_iam_group_policy_attachment':
    case 'aws_iam_policy_attachment':
      documents.push({ where: 'attachment', doc: { managedArn: resource.attributes.policy_arn } });
      break;
    case 'aws_iam_policy_document':
      documents.push({
        where: 'statement',
        doc: { Statement: blocks(resource.attributes.statement).map(fromDataStatement) },
      });
      break;
    default:
      return notApplicable();
  }
  const problems: string[] = [];
  const unknown: string[] = [];
  const keyPolicy =
    resource.type === 'aws_kms_key' || resource.type === 'aws_secretsmanager_secret_policy';
  for (const { where, doc } of documents) {
    if (doc === undefined) continue;
    const managed = obj(doc).managedArn;
    if (managed !== undefined) {
      if (typeof managed === 'string' && BROAD_MANAGED.test(managed))
        problems.push(`${where} ${managed} grants far more than an agent needs`);
      continue;
    }
    if (
      typeof doc === 'string' &&
      /^\$\{data\.aws_iam_policy_document\.[^.}]+\.json\}$/.test(doc)
    ) {
      continue; // the policy document in this stack is checked as its own resource
    }
    let parsed: unknown = doc;
    if (typeof doc === 'string') {
      // JSON with references inside its strings (exact ARNs of resources in the stack) is read as
      // JSON; an expression such as ${jsonencode(...)} cannot be read and is undecidable
      try {
        parsed = JSON.parse(doc);
      } catch {
        unknown.push(
          isUnresolved(doc)
            ? `${where} is an expression (${doc.slice(0, 60)}) this rule cannot read`
            : `${where} is not JSON this rule can read`,
        );
        continue;
      }
    }
    for (const st of list(obj(parsed).Statement).map(obj)) {
      if (st.Effect !== undefined && st.Effect !== 'Allow') continue;
      // a resource policy (key, secret, or a document with principals): Resource "*" is itself
      const resourcePolicy =
        keyPolicy || st.Principal !== undefined || st.NotPrincipal !== undefined;
      // a key policy's default statement delegates the key to the account's IAM: not a grant
      if (isAccountRoot(st.Principal)) continue;
      if (resourcePolicy && (isAnyone(st.Principal) || st.NotPrincipal !== undefined)) {
        const keys = Object.values(obj(st.Condition)).flatMap((c) =>
          Object.keys(obj(c)).map((k) => k.toLowerCase()),
        );
        if (!keys.some((k) => PRINCIPAL_PINS.includes(k)))
          problems.push(
            `${where} allows ${st.NotPrincipal !== undefined ? 'everyone but the NotPrincipal' : 'Principal "*"'} (${JSON.stringify(st.Action)}) with no condition pinning the caller's account or organization`,
          );
      }
      if (st.NotAction !== undefined)
        problems.push(
          `${where} allows everything except ${JSON.stringify(st.NotAction)} (NotAction)`,
        );
      if (st.NotResource !== undefined)
        problems.push(
          `${where} allows every resource except ${JSON.stringify(st.NotResource)} (NotResource)`,
        );
      const resources = list(st.Resource).map(String);
      const wildcardResource = resources.some(isWildcardArn);
      for (const action of list(st.Action).map(String)) {
        const [service, verb] = action.toLowerCase().split(':');
        if (action === '*') problems.push(`${where} allows every action ("*")`);
        else if (verb?.includes('*') && SENSITIVE.includes(service))
          problems.push(`${where} allows "${action}"`);
        else if (SENSITIVE.includes(service) && wildcardResource && !resourcePolicy) {
          problems.push(
            `${where} allows "${action}" on ${JSON.stringify(resources)}; name the exact ARNs`,
          );
        }
      }
    }
  }
  if (problems.length > 0) return nonCompliant(...[...new Set(problems)]);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};

function fromDataStatement(st: Record<string, unknown>): Record<string, unknown> {
  return {
    Effect: st.effect === 'Deny' ? 'Deny' : 'Allow',
    Action: st.actions,
    NotAction: st.not_actions,
    Resource: st.resources,
    NotResource: st.not_resources,
    Principal: principalsOf(st.principals),
    NotPrincipal: st.not_principals,
    Condition: Object.fromEntries(
      blocks(st.condition).map((c) => [String(c.test), { [String(c.variable)]: c.values }]),
    ),
  };
}

function principalsOf(raw: unknown): unknown {
  const all = blocks(raw);
  if (all.length === 0) return undefined;
  const out: Record<string, unknown[]> = {};
  for (const p of all) {
    if (p.type === '*') return '*';
    out[String(p.type)] = [...(out[String(p.type)] ?? []), ...list(p.identifiers)];
  }
  return out;
}
