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

/** AWS-managed policies that grant far more than an agent needs. */
const BROAD_MANAGED =
  /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|SecretsManagerReadWrite|AWSKeyManagementServicePowerUser|AmazonSSMFullAccess)$/;

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
      if (st.NotAction !== undefined)
        problems.push(
          `${where} allows everything except ${JSON.stringify(st.NotAction)} (NotAction)`,
        );
      const resources = list(st.Resource).map(String);
      const wildcardResource = resources.some(
        (r) => r === '*' || /:(secret|key|parameter|alias):\*$|:\*$/.test(r),
      );
      for (const action of list(st.Action).map(String)) {
        const [service, verb] = action.toLowerCase().split(':');
        if (action === '*') problems.push(`${where} allows every action ("*")`);
        else if (verb?.includes('*') && SENSITIVE.includes(service))
          problems.push(`${where} allows "${action}"`);
        else if (SENSITIVE.includes(service) && wildcardResource && !keyPolicy) {
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
  };
}
