/**
 * Scans a streamed response body for the key (plain, case-folded, URL- and base64-encoded),
 * across chunk boundaries. The end of each chunk that could start a form of the key is held back
 * until the next chunk shows whether it does, so no piece of a key occurrence is ever released;
 * ordinary text is released at once (a streamed answer is not delayed). Pure: no sockets.
 */
import { keyPatterns } from './header-policy';

/** Length of the longest end of `text` that is a proper beginning of `form`. */
function pendingPrefix(text: string, form: string): number {
  // only where the form's first character occurs (found natively), from the furthest back
  const first = form[0];
  let i = text.indexOf(first, Math.max(0, text.length - form.length + 1));
  while (i >= 0) {
    if (form.startsWith(text.slice(i))) return text.length - i;
    i = text.indexOf(first, i + 1);
  }
  return 0;
}

/** True when `text` holds one of `forms`. */
function holdsAny(text: string, forms: readonly string[]): boolean {
  for (const f of forms) if (text.includes(f)) return true;
  return false;
}

const NOTHING = Buffer.alloc(0);

export class KeyScanner {
  private readonly folded: readonly string[];
  private readonly exact: readonly string[];
  private tail: Buffer = NOTHING;

  constructor(key: string) {
    const forms = keyPatterns(key);
    this.folded = forms.folded;
    this.exact = forms.exact;
  }

  /** The bytes safe to release now, or `found` when the key appears. */
  public push(chunk: Buffer): { readonly release: Buffer } | { readonly found: true } {
    const buf = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const text = buf.toString('latin1');
    if (holdsAny(text, this.exact)) return { found: true };
    const lower = text.toLowerCase();
    if (holdsAny(lower, this.folded)) return { found: true };
    let hold = 0;
    for (const f of this.exact) hold = Math.max(hold, pendingPrefix(text, f));
    for (const f of this.folded) hold = Math.max(hold, pendingPrefix(lower, f));
    const cut = buf.length - hold;
    this.tail = hold > 0 ? Buffer.from(buf.subarray(cut)) : NOTHING;
    return { release: hold > 0 ? buf.subarray(0, cut) : buf };
  }

  /** At the end of the body: the bytes still held back (they did not turn into the key). */
  public end(): Buffer {
    const rest = this.tail;
    this.tail = NOTHING;
    return rest;
  }
}
