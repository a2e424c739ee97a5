import { flag } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 11: customer-managed keys rotate. */
export const kmsKeyRotation: ResourceRule = (resource) => {
  if (resource.type !== 'aws_kms_key') return notApplicable();
  const a = resource.attributes;
  if (
    a.customer_master_key_spec !== undefined &&
    a.customer_master_key_spec !== 'SYMMETRIC_DEFAULT'
  )
    return notApplicable();
  return flag(a.enable_key_rotation) === true
    ? compliant()
    : nonCompliant('enable_key_rotation is not true');
};
