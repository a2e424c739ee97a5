import { PERSONAL_DATA_KINDS } from '../../fleet/risk-profile';
import { blocks, isGatewayContainer, labelsOf, list, obj } from '../inspect';
import { compliant, nonCompliant, StackRule, TfResource } from '../model';
import { brokerConfigOf } from './no-shared-credentials';

/** Hosts of mail, calendar and chat APIs. */
const PERSONAL_HOSTS =
  /^(gmail\.googleapis\.com|www\.googleapis\.com|imap\.gmail\.com|smtp\.gmail\.com|graph\.microsoft\.com|outlook\.office(365)?\.com|([a-z0-9-]+\.)?slack\.com|api\.telegram\.org|discord\.com|gateway\.discord\.gg|graph\.facebook\.com|api\.twilio\.com)$/;

/** True when the config leaves the exec tool usable. */
export function shellEnabled(doc: Record<string, unknown>): boolean {
  const tools = obj(doc.tools);
  const deny = list(tools.deny).map(String);
  if (deny.includes('exec') || deny.includes('group:runtime') || deny.includes('*')) return false;
  const exec = obj(tools.exec);
  return !(exec.mode === 'deny' || exec.security === 'deny');
}

/**
 * Item 10: an agent that runs commands holds no one's messages. A gateway whose shell is on may
 * not hold mail, calendar or chat credentials (by its labels), run channels, or sit in a cell
 * whose broker reaches mail, calendar or chat APIs.
 */
export const noShellWithPersonalData: StackRule = (stack) => {
  const configs = new Map<string, Record<string, unknown>>();
  for (const r of stack.resources) {
    if (r.type === 'openclaw_config' && r.address.endsWith(':OPENCLAW_CONFIG_JSON')) {
      const doc = r.attributes.document;
      if (typeof doc === 'object' && doc !== null)
        configs.set(r.address.slice(0, -':OPENCLAW_CONFIG_JSON'.length), obj(doc));
    }
  }
  const networksOf = (c: TfResource) =>
    blocks(c.attributes.networks_advanced).map((n) => String(n.name));
  return stack.resources
    .filter((r) => isGatewayContainer(r, stack) && configs.has(r.address))
    .map((gateway) => {
      const doc = configs.get(gateway.address)!;
      if (!shellEnabled(doc)) return { address: gateway.address, outcome: compliant() };
      const found: string[] = [];
      const kinds = (labelsOf(gateway).get('openclaw.credential-kinds') ?? '').split(',');
      const personal = PERSONAL_DATA_KINDS.filter((k) => kinds.includes(k));
      if (personal.length > 0) found.push(`it holds ${personal.join(', ')} credentials`);
      const channels = Object.entries(obj(doc.channels)).filter(
        ([, c]) => obj(c).enabled !== false,
      );
      if (channels.length > 0)
        found.push(`it runs channels ${channels.map(([k]) => k).join(', ')}`);
      const nets = new Set(networksOf(gateway));
      for (const other of stack.resources) {
        if (other === gateway || !networksOf(other).some((n) => nets.has(n))) continue;
        const config = brokerConfigOf(other);
        if (!config) continue;
        const hosts = [
          ...list(config.connectAllowlist).map((h) => String(h).replace(/:\d+$/, '')),
          ...blocks(config.upstreams).map((u) => {
            try {
              return new URL(String(u.baseUrl)).hostname;
            } catch {
              return '';
            }
          }),
        ].filter((h) => PERSONAL_HOSTS.test(h));
        if (hosts.length > 0)
          found.push(`its broker ${other.address} reaches ${[...new Set(hosts)].join(', ')}`);
      }
      return {
        address: gateway.address,
        outcome:
          found.length > 0
            ? nonCompliant(
                `the shell is on and ${found.join('; ')}; split the agent: a shell agent without personal data, and a mail/calendar/chat agent without a shell`,
              )
            : compliant(),
      };
    });
};
