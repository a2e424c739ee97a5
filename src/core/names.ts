/** Name shapes shared by the constructs; each caller says in its own words what was wrong. */

/** A risk profile, agent or credential name: it becomes part of tags, secret names and hosts. */
export const PROFILE_NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

/** A tailnet host name (one DNS label). */
export const HOST_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A Docker container or network name. */
export const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** An IAM role ARN (exact: no wildcard). */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * A name prefix (an environment), such as `staging-`: put before every name a construct gives
 * (IAM, KMS aliases, secrets, log groups, Docker names, tailnet tags, the cells parameter), so two
 * environments share an account. The same shape as the cells parameter's prefix.
 */
export const NAME_PREFIX = /^[a-z0-9][a-z0-9-]{0,20}-$/;

/** Refuses a prefix that is not {@link NAME_PREFIX}, naming where it was given. */
export function checkNamePrefix(prefix: string | undefined, what: string): string {
  const p = prefix ?? '';
  if (p !== '' && !NAME_PREFIX.test(p)) {
    throw new Error(
      `${what} "${p}" is not a name prefix; give lower-case letters, digits and "-", at most 22 characters, ending in "-", such as "staging-"`,
    );
  }
  return p;
}
