import { parseConfigText } from '../config-channels';
import { envOf, list, obj } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** True when a Tailscale Serve config (ipn.ServeConfig) lets Funnel publish something. */
function allowsFunnel(doc: unknown): boolean {
  const funnel = obj(obj(doc).AllowFunnel);
  return Object.values(funnel).some((v) => v === true || v === 'true');
}

/**
 * Item 1, never suppressible: no Tailscale Serve config lets Funnel publish to the internet
 * (`AllowFunnel` in a TS_SERVE_CONFIG given inline, uploaded into a container or written by
 * local_file), and no container runs `tailscale funnel`.
 */
export const serveNoFunnel: ResourceRule = (resource) => {
  const texts: string[] = [];
  if (resource.type === 'docker_container') {
    for (const [name, value] of envOf(resource)) {
      if (name === 'TS_SERVE_CONFIG' || name === 'TS_EXTRA_ARGS') texts.push(value);
    }
    for (const u of list(resource.attributes.upload))
      texts.push(String(obj(u).content ?? ''), String(obj(u).content_base64 ?? ''));
    const command = [...list(resource.attributes.command), ...list(resource.attributes.entrypoint)]
      .map(String)
      .join(' ');
    if (/\btailscale\s+funnel\b/.test(command))
      return nonCompliant('runs "tailscale funnel", which publishes to the internet');
  } else if (resource.type === 'local_file' || resource.type === 'local_sensitive_file') {
    texts.push(String(resource.attributes.content ?? resource.attributes.sensitive_content ?? ''));
  } else {
    return notApplicable();
  }
  const problems: string[] = [];
  for (const text of texts) {
    if (/--funnel\b/.test(text)) problems.push('passes --funnel to tailscale');
    if (allowsFunnel(parseConfigText(text)))
      problems.push('a Serve config sets AllowFunnel, which publishes the gateway to the internet');
  }
  return problems.length > 0 ? nonCompliant(...new Set(problems)) : compliant();
};
