import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** A parameter name that says it holds a credential. */
const SECRET_NAME =
  /(token|password|passwd|secret|api[-_]?key|auth[-_]?key|private[-_]?key|credential)s?$/i;

/** Values that are credentials by their shape (vendor key prefixes, PEM keys, JWTs). */
const SECRET_VALUE =
  /^(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|tskey-[a-z]+-[A-Za-z0-9-]{8,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\..*)$|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Item 11: Terraform never writes a secret value, so none lands in its state: no secret version
 * with a value, no SecureString with a value, no plain (String) parameter holding a credential,
 * and no long-lived IAM access key (its secret is in the state).
 */
export const secretValueNotInState: ResourceRule = (resource) => {
  const a = resource.attributes;
  if (resource.type === 'aws_iam_access_key')
    return nonCompliant(
      'a long-lived IAM access key: its secret is in the Terraform state and it never rotates; give the agent a role (instance profile or AssumeRole) instead',
    );
  if (
    resource.type !== 'aws_secretsmanager_secret_version' &&
    resource.type !== 'aws_ssm_parameter'
  )
    return notApplicable();
  if (resource.type === 'aws_ssm_parameter') {
    const value = a.value ?? a.insecure_value;
    if (a.type === 'SecureString')
      return value !== undefined
        ? nonCompliant(
            'the SecureString parameter value is written by Terraform and stored in its state',
          )
        : compliant();
    const named = SECRET_NAME.test(String(a.name ?? ''));
    const shaped = typeof value === 'string' && SECRET_VALUE.test(value.trim());
    return value !== undefined && (named || shaped)
      ? nonCompliant(
          `the plain ${String(a.type ?? 'String')} parameter ${JSON.stringify(a.name)} holds a credential in clear text (and in the state); keep it in Secrets Manager`,
        )
      : compliant();
  }
  const fields = ['secret_string', 'secret_binary'].filter((f) => a[f] !== undefined);
  return fields.length > 0
    ? nonCompliant(
        `${fields.join(' and ')} is written by Terraform, so the value is in its state (and in the plan)`,
      )
    : compliant();
};
