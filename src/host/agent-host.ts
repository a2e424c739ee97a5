import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { NetworkAclRule } from '@cdktf/provider-aws/lib/network-acl-rule';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { escapeTerraformTemplate } from '../core/terraform-string';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { checkHostCells, HostCell, renderUserData } from './user-data';
import { APPLIED_VERSION_TAG, hostTag, hostTailnetKeySecretName } from './host-names';
import { checkAwsValue } from '../core/aws-values';
import { stableOutput } from '../core/outputs';
import { checkNamePrefix, HOST_NAME } from '../core/names';
import { cellsDocument, cellsParameterName } from './cells-document';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';

/** Props of {@link AgentHost}. */
export interface AgentHostProps {
  /** Host name; its tailnet host name is `<namePrefix><name>`. */
  readonly name: string;
  /**
   * The name prefix of the host's environment, such as `staging-`, put before every name the
   * host gives (its IAM role and instance profile, security group, tailnet host name and tag, and
   * the cells parameter `/<prefix>openclaw/hosts/<name>/cells` and tailnet key secret), so two environments share an
   * account and a tailnet. An AgentFleet placing agents on the host must have the same prefix.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /** AMI id (Debian or Ubuntu); a lookup is left to the caller, since data sources cannot plan offline. */
  readonly amiId: string;
  readonly instanceType?: string;
  readonly vpcId: string;
  /** A private subnet. */
  readonly subnetId: string;
  /**
   * The subnet's network ACL, to add the 18789 deny entries.
   * @default - none added (the checklist still checks any ACL in the stack)
   */
  readonly networkAclId?: string;
  /**
   * The first of the two rule numbers this host's deny entries take on `networkAclId` (IPv4 at
   * this number, IPv6 at the next). Hosts sharing one network ACL each need their own pair, below
   * the ACL's allow rules; two hosts of one app on the same ACL with overlapping numbers are refused.
   * @default 1 (rules 1 and 2)
   */
  readonly networkAclRuleNumber?: number;
  readonly region: string;
  /**
   * Secrets Manager ARN of the host's single-use tailnet auth key, for a key kept elsewhere.
   * @default - the host's own secret `<prefix>openclaw/hosts/<name>/tailnet-key` (tailnetKeySecret),
   *   which a {@link HostTailnetKey} fills
   */
  readonly tailnetKeySecretArn?: string;
  /**
   * Tailscale SSH on the host, for the deploy user `openclaw-deploy` (docker group) that
   * `cdktf deploy` reaches the engine through (`DOCKER_HOST=ssh://openclaw-deploy@<host>`). Only
   * the groups the tailnet policy's `hostAccess` names may use it.
   * @default true
   */
  readonly tailscaleSsh?: boolean;
  /**
   * Cells written by hand (not an AgentFleet's), prepared at boot from user data. An AgentFleet's
   * agents never go here: give the fleet this host (`hosts: [{ agentHost }]`) and it publishes
   * their cells in the host's cells parameter, so adding an agent never touches the instance.
   * @default - none
   */
  readonly cells?: readonly HostCell[];
  /**
   * More secrets the instance role may read, for hand-written cells. An AgentFleet grants its own
   * agents' gateway tokens itself.
   * @default - only the tailnet key secret
   */
  readonly readableSecretArns?: readonly string[];
  /**
   * KMS keys the instance role may decrypt with (through Secrets Manager), for hand-written cells.
   * @default - none
   */
  readonly readableKeyArns?: readonly string[];
  /**
   * Broker roles the instance role may assume, for hand-written cells (an AgentFleet grants its
   * agents' own).
   * @default - none
   */
  readonly brokerRoleArns?: readonly string[];
  /**
   * CloudWatch log groups the host may write to, for hand-written cells (an AuditTrail given the
   * fleet grants its agents' own).
   * @default - none
   */
  readonly logGroupArns?: readonly string[];
  /**
   * Protect the instance against termination.
   * @default true
   */
  readonly terminationProtection?: boolean;
  /**
   * Root volume size in GiB.
   * @default 30
   */
  readonly rootVolumeGiB?: number;
}

/**
 * A private EC2 host for agent cells: no public IP, no key pair, Systems Manager for break-glass
 * access, a least-privilege instance role, a security group with no ingress, IMDSv2 with a hop
 * limit of 2 (so the broker container can reach it) while the host firewall lets only broker
 * addresses through, EBS encrypted with its own key, and user data that hardens Docker and joins
 * the tailnet with a key read at boot.
 *
 * The host knows nothing of the agents it runs: give it to an {@link AgentFleet}
 * (`hosts: [{ agentHost }]`), which grants its role what its agents need and publishes their
 * cells in the host's cells parameter, from the fleet's own stack.
 */
export class AgentHost extends Construct {
  /** The host name as given (the cells parameter names it). */
  public readonly name: string;
  /** The name prefix of the host's environment ("" for none). */
  public readonly namePrefix: string;
  /** The host's tailnet host name, `<namePrefix><name>`. */
  public readonly tailnetName: string;
  /**
   * The SSM parameter the host reads its cells from (see {@link cellsParameterName}); an
   * AgentFleet given this host writes it.
   */
  public readonly cellsParameterName: string;
  /** The AWS region the host runs in. */
  public readonly region: string;
  /** The cells parameter, when the host was given hand-written `cells` (then no fleet may use it). */
  public readonly handWrittenCells?: SsmParameter;
  public readonly instance: Instance;
  public readonly role: IamRole;
  public readonly securityGroup: SecurityGroup;
  public readonly volumeKey: KmsKey;
  public readonly userData: string;
  /** The host's own tailnet key secret, when it is not given (tailnetKeySecretArn). */
  public readonly tailnetKeySecret?: SecretsmanagerSecret;
  /** The key that encrypts the host's own secret. */
  public readonly secretsKey?: KmsKey;
  /** The network ACL and the first of the two rule numbers this host takes on it, if any. */
  private readonly aclRules?: {
    readonly acl: string;
    readonly first: number;
    readonly host: string;
  };

  constructor(scope: Construct, id: string, props: AgentHostProps) {
    super(scope, id);
    const prefix = checkNamePrefix(props.namePrefix, `host "${props.name}" namePrefix`);
    this.name = props.name;
    this.namePrefix = prefix;
    this.tailnetName = `${prefix}${props.name}`;
    this.cellsParameterName = cellsParameterName(props.name, prefix);
    this.region = props.region;
    if (!HOST_NAME.test(this.tailnetName)) {
      throw new Error(
        `host name "${this.tailnetName}" (namePrefix and name) is not a tailnet host name; give lower-case letters, digits and "-", at most 63 characters`,
      );
    }
    const readableSecretArns = props.readableSecretArns ?? [];
    const readableKeyArns = props.readableKeyArns ?? [];
    const base = `${prefix}${props.name}`;
    checkAwsValue(props.amiId, 'amiId', 'amiId');
    checkAwsValue(props.region, 'region', 'region');
    for (const arn of [
      ...readableSecretArns,
      ...(props.tailnetKeySecretArn ? [props.tailnetKeySecretArn] : []),
    ]) {
      if (!Token.isUnresolved(arn) && arn.includes('*'))
        throw new Error(
          `secret ARN "${arn}" has a wildcard; name the exact secrets the host reads`,
        );
    }
    if (props.tailnetKeySecretArn !== undefined)
      checkAwsValue(props.tailnetKeySecretArn, 'tailnetKeySecretArn', 'secretArn');
    checkHostCells(props.cells ?? []);
    for (const arn of readableSecretArns) checkAwsValue(arn, 'readableSecretArns', 'secretArn');
    for (const arn of readableKeyArns) checkAwsValue(arn, 'readableKeyArns', 'kmsKeyArn');
    for (const arn of props.brokerRoleArns ?? []) checkAwsValue(arn, 'brokerRoleArns', 'roleArn');
    for (const arn of props.logGroupArns ?? []) checkAwsValue(arn, 'logGroupArns', 'logGroupArn');
    if (props.networkAclId) {
      const acl = aclKey(this, props.networkAclId);
      this.aclRules = { acl, first: this.checkAclRules(props, acl), host: base };
    }

    this.role = new IamRole(this, 'role', {
      name: `${base}-host`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    });
    this.role.overrideLogicalId(`${base}-host`);

    // --- the host's own tailnet key: a secret only this role reads, filled by HostTailnetKey ---
    let tailnetKeyArn = props.tailnetKeySecretArn;
    if (tailnetKeyArn === undefined) {
      this.secretsKey = new KmsKey(this, 'secrets-key', {
        description: `OpenClaw host ${base}: its own secrets`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      });
      this.secretsKey.overrideLogicalId(`${base}-secrets-key`);
      this.tailnetKeySecret = new SecretsmanagerSecret(this, 'tailnet-key', {
        name: hostTailnetKeySecretName(props.name, prefix),
        description: `OpenClaw host ${base}: its single-use tailnet auth key (HostTailnetKey writes it)`,
        kmsKeyId: this.secretsKey.arn,
        recoveryWindowInDays: 7,
        tags: { 'openclaw:kind': 'tailnet-key' },
      });
      this.tailnetKeySecret.overrideLogicalId(`${base}-tailnet-key`);
      this.tailnetKeySecret.addOverride('//.openclaw_checklist.suppressions', [
        {
          ruleId: 'OC11-SecretRotation',
          reason:
            'the host tailnet key: single use, read once by the reconciler to join; a new host gets a new key from HostTailnetKey',
        },
      ]);
      new SecretsmanagerSecretPolicy(this, 'tailnet-key-policy', {
        secretArn: this.tailnetKeySecret.arn,
        blockPublicPolicy: true,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OnlyTheHostReads',
              Effect: 'Deny',
              Principal: '*',
              Action: ['secretsmanager:GetSecretValue'],
              Resource: '*',
              Condition: { StringNotEquals: { 'aws:PrincipalArn': [this.role.arn] } },
            },
          ],
        }),
      }).overrideLogicalId(`${base}-tailnet-key`);
      tailnetKeyArn = this.tailnetKeySecret.arn;
    }
    this.userData = renderUserData({
      region: props.region,
      tailnetKeySecret: tailnetKeyArn,
      hostname: this.tailnetName,
      tailnetTag: hostTag(prefix),
      cellsParameter: this.cellsParameterName,
      tailscaleSsh: props.tailscaleSsh ?? true,
    });
    new IamRolePolicy(this, 'reconcile', {
      role: this.role.id,
      name: 'reconcile-own-cells',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadOwnCells',
            Effect: 'Allow',
            Action: ['ssm:GetParameter'],
            // the account is the role's own: an identity policy reaches no other account's parameter
            Resource: [`arn:aws:ssm:${props.region}:*:parameter${this.cellsParameterName}`],
          },
          ...(readableSecretArns.length > 0
            ? [
                {
                  // the reconciler follows rotations of the tokens it reads, and records the
                  // version its gateway accepts (the only tag it may set)
                  Sid: 'RecordAppliedGatewayTokens',
                  Effect: 'Allow',
                  Action: ['secretsmanager:TagResource'],
                  Resource: [...readableSecretArns],
                  Condition: {
                    'ForAllValues:StringEquals': { 'aws:TagKeys': [APPLIED_VERSION_TAG] },
                  },
                },
                {
                  Sid: 'FollowGatewayTokenRotations',
                  Effect: 'Allow',
                  Action: ['secretsmanager:DescribeSecret'],
                  Resource: [...readableSecretArns],
                },
              ]
            : []),
        ],
      }),
    }).overrideLogicalId(`${base}-reconcile`);
    if (props.cells !== undefined && props.cells.length > 0) {
      // hand-written cells reach the reconciler the same way an AgentFleet's do
      this.handWrittenCells = new SsmParameter(this, 'cells', {
        name: this.cellsParameterName,
        description: `OpenClaw host ${base}: the cells it runs (read by its reconciler)`,
        type: 'String',
        value: cellsDocument(props.cells),
        tags: { 'openclaw:host': base },
      });
      this.handWrittenCells.overrideLogicalId(`${base}-cells`);
    }
    new IamRolePolicyAttachment(this, 'ssm', {
      role: this.role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    }).overrideLogicalId(`${base}-ssm`);
    new IamRolePolicy(this, 'secrets', {
      role: this.role.id,
      name: 'read-own-secrets',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: [tailnetKeyArn, ...readableSecretArns],
          },
          ...(readableKeyArns.length > 0 || this.secretsKey
            ? [
                {
                  Effect: 'Allow',
                  Action: ['kms:Decrypt'],
                  Resource: [...readableKeyArns, ...(this.secretsKey ? [this.secretsKey.arn] : [])],
                  Condition: {
                    StringEquals: {
                      'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com`,
                    },
                  },
                },
              ]
            : []),
          ...(props.brokerRoleArns && props.brokerRoleArns.length > 0
            ? [
                {
                  Sid: 'BrokersAssumeTheirOwnRoles',
                  Effect: 'Allow',
                  Action: ['sts:AssumeRole'],
                  Resource: [...props.brokerRoleArns],
                },
              ]
            : []),
          ...(props.logGroupArns && props.logGroupArns.length > 0
            ? [
                {
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
                  Resource: props.logGroupArns.map((a) => `${a}:*`),
                },
              ]
            : []),
        ],
      }),
    }).overrideLogicalId(`${base}-secrets`);
    const profile = new IamInstanceProfile(this, 'profile', {
      name: `${base}-host`,
      role: this.role.name,
    });
    profile.overrideLogicalId(`${base}-host`);

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: `${base}-host`,
      description: 'OpenClaw agent host: no ingress; egress for HTTPS, Tailscale and DNS',
      vpcId: props.vpcId,
      ingress: [],
      egress: [
        {
          description: 'HTTPS (packages, AWS APIs, model APIs, Tailscale control and DERP)',
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ['0.0.0.0/0'],
        },
        {
          description: 'Tailscale direct connections',
          protocol: 'udp',
          fromPort: 41641,
          toPort: 41641,
          cidrBlocks: ['0.0.0.0/0'],
        },
        {
          description: 'STUN for Tailscale',
          protocol: 'udp',
          fromPort: 3478,
          toPort: 3478,
          cidrBlocks: ['0.0.0.0/0'],
        },
        {
          description: 'DNS',
          protocol: 'udp',
          fromPort: 53,
          toPort: 53,
          cidrBlocks: ['0.0.0.0/0'],
        },
      ],
    });
    this.securityGroup.overrideLogicalId(`${base}-host`);

    if (props.networkAclId) {
      for (const [suffix, cidr, ipv6, rule] of [
        ['v4', '0.0.0.0/0', false, 0],
        ['v6', '::/0', true, 1],
      ] as const) {
        new NetworkAclRule(this, `deny-gateway-${suffix}`, {
          networkAclId: props.networkAclId,
          ruleNumber: this.aclRules!.first + rule,
          egress: false,
          protocol: 'tcp',
          ruleAction: 'deny',
          fromPort: 18789,
          toPort: 18789,
          ...(ipv6 ? { ipv6CidrBlock: cidr } : { cidrBlock: cidr }),
        }).overrideLogicalId(`${base}-deny-18789-${suffix}`);
      }
    }

    this.volumeKey = new KmsKey(this, 'volume-key', {
      description: `OpenClaw host ${base}: EBS`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    this.volumeKey.overrideLogicalId(`${base}-ebs`);

    this.instance = new Instance(this, 'instance', {
      ami: props.amiId,
      instanceType: props.instanceType ?? 't3.large',
      subnetId: props.subnetId,
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: profile.name,
      disableApiTermination: props.terminationProtection ?? true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        instanceMetadataTags: 'disabled',
      },
      rootBlockDevice: {
        encrypted: true,
        kmsKeyId: this.volumeKey.arn,
        volumeSize: props.rootVolumeGiB ?? 30,
        volumeType: 'gp3',
        deleteOnTermination: true,
      },
      // literal shell ${VAR} and AppArmor @{...} text must not be read as Terraform interpolation
      // gzip (cloud-init reads it) keeps the document under EC2's 16 KiB; Terraform compresses it,
      // so the bytes do not depend on the machine that synthesizes
      userDataBase64: `\${base64gzip(${hclString(this.userData)})}`,
      userDataReplaceOnChange: true,
      monitoring: true,
      tags: { Name: base, 'openclaw:role': 'agent-host' },
    });
    this.instance.overrideLogicalId(base);
    stableOutput(this, `${base}-instance-id`, this.instance.id, 'The agent host instance');
  }

  /**
   * The first rule number of this host's pair on its network ACL, refused when it is not a rule
   * number or when another AgentHost of the app already takes one of the two on the same ACL.
   */
  private checkAclRules(props: AgentHostProps, acl: string): number {
    const first = props.networkAclRuleNumber ?? 1;
    if (!Number.isInteger(first) || first < 1 || first > 32765) {
      throw new Error(
        `networkAclRuleNumber ${first} is not a network ACL rule number; give a whole number from 1 to 32765 (the host takes it and the next), below the ACL's allow rules`,
      );
    }
    const taken = this.node.root.node
      .findAll()
      .filter((c): c is AgentHost => c instanceof AgentHost && c !== this && !!c.aclRules)
      .filter((h) => h.aclRules!.acl === acl);
    const clash = taken.find((h) => Math.abs(h.aclRules!.first - first) < 2);
    if (clash) {
      const used = new Set(taken.flatMap((h) => [h.aclRules!.first, h.aclRules!.first + 1]));
      let free = 1;
      while (used.has(free) || used.has(free + 1)) free++;
      const theirs = clash.aclRules!.first;
      throw new Error(
        `hosts "${clash.aclRules!.host}" and "${this.tailnetName}" would both put 18789 deny entries at rule number ${Math.max(theirs, first)} of network ACL "${acl}" (a host takes networkAclRuleNumber and the next; "${clash.aclRules!.host}" takes ${theirs} and ${theirs + 1}); give host "${this.tailnetName}" its own networkAclRuleNumber, such as ${free}`,
      );
    }
    return first;
  }
}

/**
 * What names a network ACL: a literal id, or the expression a reference resolves to in the
 * host's own stack (each `acl.id` is a new token, the expression is the same).
 */
function aclKey(scope: Construct, id: string): string {
  if (!Token.isUnresolved(id)) return id;
  const resolved: unknown = Tokenization.resolve(id, {
    scope,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
  return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
}

/**
 * A quoted HCL string literal of `text`, for a Terraform expression: backslashes, quotes and
 * line breaks escaped, and literal `${`/`%{` (shell variables, AppArmor) kept from interpolation.
 */
function hclString(text: string): string {
  const escaped = escapeTerraformTemplate(text)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}
