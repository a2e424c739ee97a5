/** Name shapes shared by the constructs; each caller says in its own words what was wrong. */

/** A risk profile, agent or credential name: it becomes part of tags, secret names and hosts. */
export const PROFILE_NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

/** A tailnet host name (one DNS label). */
export const HOST_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A Docker container or network name. */
export const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** An IAM role ARN (exact: no wildcard). */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
