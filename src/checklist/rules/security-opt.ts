import { list } from '../inspect';
import { TfResource } from '../model';

/** The value of one `security_opts` entry (`no-new-privileges`, `seccomp`, `apparmor`), if set. */
export function securityOpt(container: TfResource, key: string): string | undefined {
  for (const raw of list(container.attributes.security_opts)) {
    const opt = String(raw);
    const sep = opt.search(/[=:]/);
    const name = sep < 0 ? opt : opt.slice(0, sep);
    if (name === key) return sep < 0 ? 'true' : opt.slice(sep + 1);
  }
  return undefined;
}
