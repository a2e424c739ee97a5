import { block, blocks, flag } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 11: host volumes are encrypted with a customer-managed key. */
export const volumesEncrypted: ResourceRule = (resource) => {
  const problems: string[] = [];
  const check = (where: string, v: Record<string, unknown>) => {
    if (flag(v.encrypted) !== true) problems.push(`${where} is not encrypted`);
    else if (v.kms_key_id === undefined)
      problems.push(`${where} uses the AWS-managed key; give kms_key_id`);
  };
  if (resource.type === 'aws_instance') {
    check('root_block_device', block(resource.attributes.root_block_device));
    for (const d of blocks(resource.attributes.ebs_block_device))
      check(`ebs_block_device ${String(d.device_name)}`, d);
  } else if (resource.type === 'aws_ebs_volume') {
    check('the volume', resource.attributes);
  } else if (resource.type === 'aws_launch_template') {
    for (const d of blocks(resource.attributes.block_device_mappings))
      check(`block device ${String(d.device_name)}`, block(d.ebs));
  } else {
    return notApplicable();
  }
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
