import { renderAwsProfile } from '../../broker/src/aws-profile';

describe('the broker assumes its own role', () => {
  test('GIVEN the instance role THEN the profile takes the agent role from instance metadata', () => {
    expect(
      renderAwsProfile({
        roleArn: 'arn:aws:iam::123456789012:role/openclaw-research-broker',
        sessionName: 'openclaw-research-broker',
        source: 'instance-metadata',
      }),
    ).toBe(
      [
        '[profile broker]',
        'role_arn = arn:aws:iam::123456789012:role/openclaw-research-broker',
        'role_session_name = openclaw-research-broker',
        'credential_source = Ec2InstanceMetadata',
        '',
      ].join('\n'),
    );
  });

  test('GIVEN a mounted credentials file THEN the profile starts from its default profile', () => {
    expect(
      renderAwsProfile({
        roleArn: 'arn:aws:iam::123456789012:role/openclaw-research-broker',
        sessionName: 'openclaw-research-broker',
        source: 'credentials-file',
      }),
    ).toContain('source_profile = default');
  });

  test('a value that is not a role ARN or a session name is refused (no ini injection)', () => {
    expect(() =>
      renderAwsProfile({
        roleArn: 'arn:aws:iam::123456789012:role/x\n[profile evil]',
        sessionName: 's1',
        source: 'instance-metadata',
      }),
    ).toThrow(/is not an IAM role ARN/);
    expect(() =>
      renderAwsProfile({
        roleArn: 'arn:aws:iam::123456789012:role/x',
        sessionName: 'a b',
        source: 'instance-metadata',
      }),
    ).toThrow(/role session name "a b" is not valid for STS/);
  });
});
