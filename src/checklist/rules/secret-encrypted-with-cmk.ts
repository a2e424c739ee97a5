import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 11: each secret is encrypted with a customer-managed KMS key. */
export const secretEncryptedWithCmk: ResourceRule = (resource) => {
  if (resource.type !== 'aws_secretsmanager_secret') return notApplicable();
  const key = resource.attributes.kms_key_id;
  if (key === undefined || key === '' || String(key).includes('alias/aws/secretsmanager')) {
    return nonCompliant(
      'no customer-managed kms_key_id: the AWS-managed key cannot be scoped or audited per agent',
    );
  }
  return compliant();
};
