import { Network } from '@cdktf/provider-docker/lib/network';
import { Construct } from 'constructs';
import { terraformName } from '../core/terraform-string';
import { isPrivateAddress, parseCidr } from '../openclaw/addresses';
import { DOCKER_NAME } from '../core/names';

/** Props of {@link CellNetwork}. */
export interface CellNetworkProps {
  /** Docker network name; unique on the host, such as `openclaw-research`. */
  readonly name: string;
  /**
   * IPv4 subnet of the cell, private, /24 to /29. Members get static addresses in it.
   * @default "172.30.0.0/24"
   */
  readonly subnet?: string;
}

/**
 * The internal network of one agent cell: a Docker bridge network with no route out (`internal`),
 * no NAT, and static addressing. The gateway joins only this kind of network; the sidecar and the
 * broker join it too, and only the broker has a second, egress network.
 */
export class CellNetwork extends Construct {
  /** The docker_network resource. */
  public readonly network: Network;
  /** The network name. */
  public readonly name: string;
  /** The subnet. */
  public readonly subnet: string;

  constructor(scope: Construct, id: string, props: CellNetworkProps) {
    super(scope, id);
    if (!DOCKER_NAME.test(props.name)) {
      throw new Error(
        `network name "${props.name}" is not a Docker network name; use letters, digits, ".", "_" or "-", such as "openclaw-research"`,
      );
    }
    const subnet = props.subnet ?? '172.30.0.0/24';
    const parsed = parseCidr(subnet);
    if (!parsed || parsed.family !== 4 || parsed.prefixLength < 16 || parsed.prefixLength > 29) {
      throw new Error(
        `cell subnet "${subnet}" must be an IPv4 block from /16 to /29, such as "172.30.0.0/24"`,
      );
    }
    if (!isPrivateAddress(parsed.address)) {
      throw new Error(
        `cell subnet "${subnet}" is public address space; use a private block such as "172.30.0.0/24"`,
      );
    }
    this.name = props.name;
    this.subnet = subnet;
    this.network = new Network(this, 'network', {
      name: props.name,
      driver: 'bridge',
      internal: true,
      attachable: false,
      ipamConfig: [{ subnet }],
      options: {
        'com.docker.network.bridge.enable_ip_masquerade': 'false',
        'com.docker.network.bridge.enable_icc': 'true',
      },
      labels: [{ label: 'openclaw.cell-network', value: 'internal' }],
    });
    this.network.overrideLogicalId(terraformName(props.name));
  }

  /** True when `address` is a usable host address in this network's subnet (not .0, .1 or broadcast). */
  public contains(address: string): boolean {
    return hostIndex(address, this.subnet) !== undefined;
  }
}

/** The offset of `address` inside `subnet`, or undefined if it is outside or reserved. */
export function hostIndex(address: string, subnet: string): number | undefined {
  const a = parseCidr(address);
  const s = parseCidr(subnet);
  if (!a || !s || a.family !== 4 || s.family !== 4 || a.prefixLength !== 32) return undefined;
  const toNumber = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - s.prefixLength);
  const start = Math.floor(toNumber(s.address) / size) * size;
  const offset = toNumber(a.address) - start;
  // .0 is the network, .1 the bridge gateway Docker assigns, the last the broadcast address
  if (offset < 2 || offset >= size - 1) return undefined;
  return offset;
}
