import { envOf, list, obj, runsGateway } from '../inspect';
import {
  compliant,
  isContainer,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Provider credential variables OpenClaw reads from its environment. */
const PROVIDER_KEY_VARS =
  /^(ANTHROPIC|OPENAI|GEMINI|GOOGLE|OPENROUTER|GROQ|MISTRAL|XAI|DEEPSEEK|TOGETHER|FIREWORKS|PERPLEXITY|COHERE|AZURE_OPENAI|AWS_SECRET_ACCESS|AWS_SESSION)_(API_KEY|API_KEYS|API_KEY_\d+|KEY|TOKEN)$|^OPENCLAW_LIVE_[A-Z]+_KEY$|^AWS_SECRET_ACCESS_KEY$|^AWS_SESSION_TOKEN$/;

/** Public model API hosts: a provider pointed there talks to the vendor directly, not through the broker. */
const PUBLIC_MODEL_HOSTS =
  /(^|\.)(anthropic\.com|openai\.com|googleapis\.com|openrouter\.ai|groq\.com|mistral\.ai|x\.ai|deepseek\.com|together\.xyz|fireworks\.ai|perplexity\.ai|cohere\.(ai|com)|azure\.com)$/;

/**
 * Item 12: the gateway never holds a real provider key: no provider key in its environment,
 * no apiKey in its config (not even as a reference), and providers point at the broker.
 */
export const brokeredCredentials: ResourceRule = (resource, stack) => {
  if (isContainer(resource)) {
    if (!runsGateway(resource, stack)) return notApplicable();
    // literal variables, and (ECS, Kubernetes) variables the platform fills from a secret
    const fromSecrets = list(resource.attributes.secret_env).map((e) => String(obj(e).name));
    const keys = [...envOf(resource).keys(), ...fromSecrets].filter((k) =>
      PROVIDER_KEY_VARS.test(k),
    );
    return keys.length > 0
      ? nonCompliant(
          `the gateway's environment carries provider credentials (${keys.join(', ')}); let the credential broker inject them`,
        )
      : compliant();
  }
  if (resource.type !== 'openclaw_config') return notApplicable();
  const doc = resource.attributes.document;
  if (typeof doc === 'string') return undecidable('the config is not resolved JSON at synth time');
  const problems: string[] = [];
  for (const [id, raw] of Object.entries(obj(obj(obj(doc).models).providers))) {
    const provider = obj(raw);
    if (provider.apiKey !== undefined)
      problems.push(
        `models.providers.${id}.apiKey gives the gateway a real key; remove it and let the broker inject the key upstream`,
      );
    const auth = obj(obj(provider.request).auth);
    if (Object.keys(auth).length > 0)
      problems.push(
        `models.providers.${id}.request.auth gives the gateway a credential; let the broker inject it`,
      );
    try {
      const host = new URL(String(provider.baseUrl)).hostname;
      if (PUBLIC_MODEL_HOSTS.test(host))
        problems.push(
          `models.providers.${id}.baseUrl points at ${host} directly; point it at the credential broker`,
        );
    } catch {
      if (provider.baseUrl !== undefined)
        problems.push(
          `models.providers.${id}.baseUrl ${JSON.stringify(provider.baseUrl)} is not a URL`,
        );
    }
  }
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
