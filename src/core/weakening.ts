/**
 * Weakening a hardened default is possible only through an explicit, loudly named prop that
 * carries a written reason. Every weakening is recorded so the checklist report can show it.
 */

/** A written reason for weakening a hardened default. */
export interface WeakeningReason {
  /** Why the weaker setting is needed; at least 20 characters. Shown in the checklist report. */
  readonly reason: string;
}

/** A hardened default that was weakened on purpose, with its reason. */
export interface Weakening {
  /** Stable id of the weakening, such as `broad-trusted-proxies`. */
  readonly id: string;
  /** What was weakened. */
  readonly what: string;
  /** The reason given. */
  readonly reason: string;
}

/** Shortest reason accepted for a weakening or a suppression. */
export const MIN_REASON_LENGTH = 20;

/** Construct metadata type under which weakenings are recorded. */
export const WEAKENING_METADATA = 'cdktf-openclaw/weakening';

/**
 * Returns the trimmed reason, or throws when it is shorter than {@link MIN_REASON_LENGTH}.
 * @param prop the prop that carries it, named in the message
 */
export function requireReason(allowance: WeakeningReason, prop: string): string {
  const reason = (allowance?.reason ?? '').trim();
  if (reason.length < MIN_REASON_LENGTH) {
    throw new Error(
      `${prop} needs a reason of at least ${MIN_REASON_LENGTH} characters (got ${reason.length}); say why the weaker setting is needed, it appears in the checklist report`,
    );
  }
  return reason;
}
