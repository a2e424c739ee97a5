import { flag } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** The longest-lived auth key accepted: one day, in seconds. */
export const MAX_TAILNET_KEY_SECONDS = 86_400;

/** Item 11: tailnet auth keys are single use, tagged and short-lived. */
export const tailnetKeySingleUse: ResourceRule = (resource) => {
  if (resource.type !== 'tailscale_tailnet_key') return notApplicable();
  const { reusable, expiry, tags } = resource.attributes;
  if ([reusable, expiry].some(isUnresolved))
    return undecidable('reusable or expiry is not resolved');
  const problems: string[] = [];
  if (flag(reusable) !== false)
    problems.push(`the key is reusable (${JSON.stringify(reusable)}); make it single use`);
  if (expiry === undefined)
    problems.push(
      `no expiry (the provider default is 90 days); set at most ${MAX_TAILNET_KEY_SECONDS} seconds`,
    );
  else if (Number(expiry) > MAX_TAILNET_KEY_SECONDS)
    problems.push(`expiry ${expiry} s is longer than ${MAX_TAILNET_KEY_SECONDS} s`);
  if (!Array.isArray(tags) || tags.length === 0)
    problems.push(
      'the key carries no tag, so the node gets a user identity; tag it tag:openclaw-<profile>',
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
