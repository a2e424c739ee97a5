import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 11: Terraform never writes a secret value, so none lands in its state. */
export const secretValueNotInState: ResourceRule = (resource) => {
  if (
    resource.type !== 'aws_secretsmanager_secret_version' &&
    resource.type !== 'aws_ssm_parameter'
  )
    return notApplicable();
  const a = resource.attributes;
  if (resource.type === 'aws_ssm_parameter') {
    return a.type === 'SecureString' && (a.value !== undefined || a.insecure_value !== undefined)
      ? nonCompliant(
          'the SecureString parameter value is written by Terraform and stored in its state',
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
