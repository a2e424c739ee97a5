import { findConfigProblems } from '../../openclaw/config-problems';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

const SECRET_ASSIGNMENT =
  /\b([A-Z][A-Z0-9_]*(TOKEN|PASSWORD|SECRET|API_KEY|AUTHKEY|AUTH_KEY|PASSPHRASE))\s*=\s*["']?([^\s"'$]{8,})/;

/** Item 11: no secret in instance or launch-template user data (readable from the metadata service and the console). */
export const noSecretsInUserData: ResourceRule = (resource) => {
  if (resource.type !== 'aws_instance' && resource.type !== 'aws_launch_template')
    return notApplicable();
  const texts: string[] = [];
  for (const key of ['user_data', 'user_data_base64']) {
    const value = resource.attributes[key];
    if (typeof value !== 'string') continue;
    texts.push(
      key === 'user_data_base64' || resource.type === 'aws_launch_template' ? decode(value) : value,
    );
  }
  const problems: string[] = [];
  for (const text of texts) {
    const assignment = SECRET_ASSIGNMENT.exec(text);
    if (assignment) problems.push(`user data assigns ${assignment[1]} a literal value (not shown)`);
    for (const line of text.split('\n')) {
      for (const p of findConfigProblems({ line })) {
        if (/looks like|user name and password/.test(p.message))
          problems.push(`user data ${p.message.replace(/^line /, '')}`);
      }
    }
    if (/--auth-?key[= ]+tskey-/.test(text) || /tskey-(auth|client)-[A-Za-z0-9]+/.test(text))
      problems.push('user data contains a Tailscale auth key (value not shown)');
  }
  return problems.length > 0 ? nonCompliant(...new Set(problems)) : compliant();
};

function decode(value: string): string {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return value;
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return value;
  }
}
