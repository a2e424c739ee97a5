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
 * Item 9: IAM grants are scoped: no `*` action, no `service:*` on credential services, and no
 * `Resource: "*"` for actions on secrets, keys or parameters.
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
      for (const p of blocks(resource.attributes.inline_policy))
        documents.push({ where: `inline policy ${p.name ?? ''}`.trim(), doc: p.policy });
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
  for (const { where, doc } of documents) {
    if (doc === undefined) continue;
    if (typeof doc === 'string' && isUnresolved(doc) && !doc.trim().startsWith('{')) {
      // a reference to a policy document in this stack is checked on that document
      continue;
    }
    let parsed: unknown = doc;
    if (typeof doc === 'string') {
      try {
        parsed = JSON.parse(doc);
      } catch {
        unknown.push(`${where} is not JSON this rule can read`);
        continue;
      }
    }
    for (const st of list(obj(parsed).Statement).map(obj)) {
      if (st.Effect !== undefined && st.Effect !== 'Allow') continue;
      const actions = list(st.Action).map(String);
      const resources = list(st.Resource).map(String);
      for (const action of actions) {
        const [service, verb] = action.split(':');
        if (action === '*') problems.push(`${where} allows every action ("*")`);
        else if (verb === '*' && SENSITIVE.includes(service))
          problems.push(`${where} allows "${action}"`);
        else if (
          SENSITIVE.includes(service) &&
          resources.includes('*') &&
          resource.type !== 'aws_kms_key' &&
          resource.type !== 'aws_secretsmanager_secret_policy'
        ) {
          problems.push(`${where} allows "${action}" on every resource ("*"); name the exact ARNs`);
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
    Resource: st.resources,
  };
}
