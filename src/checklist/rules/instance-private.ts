import { block, describe, flag, launchTemplateOf } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';

/**
 * Item 1: hosts have no public IP and no SSH key pair (break-glass access goes through SSM). An
 * instance that leaves them unset takes them from its launch template. An ECS service running a
 * cell's task assigns its tasks no public IP.
 */
export const instancePrivate: ResourceRule = (resource, stack) => {
  if (resource.type === 'aws_ecs_service') {
    const ip = block(resource.attributes.network_configuration).assign_public_ip;
    const value = flag(ip);
    if (value === 'unknown') return undecidable(`assign_public_ip is ${describe(ip)}`);
    return value
      ? nonCompliant(
          'network_configuration.assign_public_ip is true, so the task gets a public address',
        )
      : compliant();
  }
  if (resource.type !== 'aws_instance' && resource.type !== 'aws_launch_template')
    return notApplicable();
  const a = resource.attributes;
  const template = launchTemplateOf(resource, stack);
  const fromTemplate = (t: typeof template) =>
    t ? block(t.attributes.network_interfaces).associate_public_ip_address : undefined;
  const publicIp =
    resource.type === 'aws_instance'
      ? (a.associate_public_ip_address ?? fromTemplate(template))
      : block(a.network_interfaces).associate_public_ip_address;
  const keyName = a.key_name ?? template?.attributes.key_name;
  const problems: string[] = [];
  const ip = flag(publicIp);
  if (ip === 'unknown') return undecidable(`associate_public_ip_address is ${describe(publicIp)}`);
  if (ip !== false)
    problems.push(
      `associate_public_ip_address is ${publicIp === undefined ? 'unset (the subnet default may assign one)' : JSON.stringify(publicIp)}`,
    );
  if (keyName !== undefined && keyName !== '')
    problems.push(
      `key_name ${JSON.stringify(keyName)} installs an SSH key; use SSM Session Manager`,
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
