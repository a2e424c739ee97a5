import { block, flag } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 1: hosts have no public IP and no SSH key pair (break-glass access goes through SSM). */
export const instancePrivate: ResourceRule = (resource) => {
  if (resource.type !== 'aws_instance' && resource.type !== 'aws_launch_template')
    return notApplicable();
  const a = resource.attributes;
  const problems: string[] = [];
  const publicIp =
    resource.type === 'aws_instance'
      ? a.associate_public_ip_address
      : block(a.network_interfaces).associate_public_ip_address;
  if (flag(publicIp) !== false)
    problems.push(
      `associate_public_ip_address is ${publicIp === undefined ? 'unset (the subnet default may assign one)' : JSON.stringify(publicIp)}`,
    );
  if (a.key_name !== undefined && a.key_name !== '')
    problems.push(
      `key_name ${JSON.stringify(a.key_name)} installs an SSH key; use SSM Session Manager`,
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
