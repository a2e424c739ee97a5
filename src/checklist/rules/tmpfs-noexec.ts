import { blocks, obj } from '../inspect';
import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';

/** The largest /tmp accepted, in MiB. */
export const MAX_TMPFS_MIB = 100;

/** Item 6: every tmpfs is noexec and nosuid, and /tmp is small. */
export const tmpfsNoexec: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const tmpfs = obj(container.attributes.tmpfs);
  const problems: string[] = [];
  for (const [dir, raw] of Object.entries(tmpfs)) {
    const opts = String(raw).split(',');
    for (const flag of ['noexec', 'nosuid'])
      if (!opts.includes(flag)) problems.push(`tmpfs ${dir} lacks ${flag}`);
    const size = opts.find((o) => o.startsWith('size='))?.slice(5);
    const mib = size === undefined ? Infinity : toMiB(size);
    if (mib > MAX_TMPFS_MIB)
      problems.push(
        `tmpfs ${dir} is ${size === undefined ? 'unbounded' : size} (more than ${MAX_TMPFS_MIB} MiB)`,
      );
  }
  for (const m of blocks(container.attributes.mounts).filter((x) => x.type === 'tmpfs')) {
    problems.push(
      `tmpfs ${String(m.target)} is a mounts block, which cannot set noexec or nosuid; use the tmpfs attribute`,
    );
  }
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};

function toMiB(size: string): number {
  const m = /^(\d+)([kmg]?)b?$/i.exec(size);
  if (!m) return Infinity;
  const n = Number(m[1]);
  switch (m[2].toLowerCase()) {
    case 'k':
      return n / 1024;
    case 'm':
      return n;
    case 'g':
      return n * 1024;
    default:
      return n / 1024 / 1024;
  }
}
