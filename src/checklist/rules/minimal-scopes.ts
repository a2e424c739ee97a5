import { BROAD_SCOPES } from '../../fleet/risk-profile';
import { obj } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** The tag OpenClawAgent writes on each secret with the OAuth scopes its token carries. */
export const SCOPES_TAG = 'openclaw:scopes';

/**
 * Item 9: a secret whose token carries an OAuth scope that grants far more than reading (full
 * Gmail, GitHub `repo`, ...) is reported, with the narrower scope that fits.
 */
export const minimalScopes: ResourceRule = (resource) => {
  if (resource.type !== 'aws_secretsmanager_secret') return notApplicable();
  const scopes = obj(resource.attributes.tags)[SCOPES_TAG];
  if (typeof scopes !== 'string') return notApplicable();
  const broad = scopes.split(/\s+/).filter((s) => BROAD_SCOPES[s] !== undefined);
  return broad.length > 0
    ? nonCompliant(
        ...broad.map(
          (s) =>
            `the token carries "${s}", which grants ${BROAD_SCOPES[s].grants}; narrow it to "${BROAD_SCOPES[s].instead}"`,
        ),
      )
    : compliant();
};
