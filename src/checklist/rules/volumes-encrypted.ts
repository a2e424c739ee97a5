import { block, blocks, ebsEncryptedByDefault, flag, launchTemplateOf } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';

/**
 * Item 11: host volumes are encrypted with a customer-managed key. A volume that sets nothing is
 * encrypted when the stack turns on EBS encryption by default (aws_ebs_encryption_by_default),
 * with the account's default key (aws_ebs_default_kms_key when the stack sets one); an instance's
 * root volume may take its settings from its launch template.
 */
export const volumesEncrypted: ResourceRule = (resource, stack) => {
  const problems: string[] = [];
  const unknown: string[] = [];
  const byDefault = ebsEncryptedByDefault(stack);
  const check = (where: string, v: Record<string, unknown>) => {
    const encrypted = flag(v.encrypted);
    if (encrypted === 'unknown') unknown.push(`${where}: encrypted is not known at synth time`);
    else if (encrypted === false && !(byDefault && v.encrypted === undefined))
      problems.push(`${where} is not encrypted`);
    else if (encrypted === true && v.kms_key_id === undefined && !byDefault)
      problems.push(`${where} uses the AWS-managed key; give kms_key_id`);
  };
  if (resource.type === 'aws_instance') {
    const template = launchTemplateOf(resource, stack);
    if (resource.attributes.root_block_device === undefined && template) {
      const mappings = blocks(template.attributes.block_device_mappings);
      if (mappings.length === 0 && !byDefault)
        problems.push(`the root volume takes ${template.address}'s defaults, which do not encrypt`);
      for (const d of mappings)
        check(`block device ${String(d.device_name)} (from ${template.address})`, block(d.ebs));
    } else {
      check('root_block_device', block(resource.attributes.root_block_device));
    }
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
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
