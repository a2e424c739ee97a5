/**
 * The broker's own AWS identity: a role of its own (one per agent), assumed from the host's
 * credentials. The AWS SDK does the assuming when it finds a profile like the one rendered here;
 * it holds no secret, only where the starting credentials come from and which role to take.
 */

/** Where the broker's starting credentials come from. */
export type CredentialSource = 'instance-metadata' | 'credentials-file';

/** An AWS shared-config profile named `broker` that assumes `roleArn`. */
export function renderAwsProfile(options: {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly source: CredentialSource;
}): string {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(options.roleArn)) {
    throw new Error(`BROKER_ROLE_ARN "${options.roleArn}" is not an IAM role ARN`);
  }
  if (!/^[\w+=,.@-]{2,64}$/.test(options.sessionName)) {
    throw new Error(`role session name "${options.sessionName}" is not valid for STS`);
  }
  return [
    '[profile broker]',
    `role_arn = ${options.roleArn}`,
    `role_session_name = ${options.sessionName}`,
    options.source === 'credentials-file'
      ? 'source_profile = default'
      : 'credential_source = Ec2InstanceMetadata',
    '',
  ].join('\n');
}
