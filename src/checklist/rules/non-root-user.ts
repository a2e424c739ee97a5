import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  RuleOutcome,
  TfResource,
  undecidable,
} from '../model';

/** Item 6: runs as a numeric non-root user and group. */
export const nonRootUser: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const user = container.attributes.user;
  // Kubernetes: runAsNonRoot makes the kubelet refuse an image whose user is root or a name
  const enforced = container.attributes.non_root_enforced;
  if ((user === undefined || user === '') && (enforced === true || enforced === 'true'))
    return rootGroupsOf(container) ?? compliant();
  if (isUnresolved(enforced)) return undecidable(`run_as_non_root is ${String(enforced)}`);
  if (user === undefined || user === '')
    return nonCompliant('user is unset, so the image decides (often root)');
  if (isUnresolved(user)) return undecidable('user is not resolved');
  const [uid, gid] = String(user).split(':');
  const groups = rootGroupsOf(container);
  if (groups) return groups;
  if (uid === '0' || uid === 'root' || gid === '0' || gid === 'root')
    return nonCompliant(`user "${user}" is root`);
  if (!/^\d+$/.test(uid) || (gid !== undefined && !/^\d+$/.test(gid)))
    return nonCompliant(
      `user "${user}" is a name, not a numeric uid:gid, so the image decides who that is`,
    );
  return compliant();
};

/** A finding when group_add (or a pod's supplemental or fs group) is root-equivalent. */
function rootGroupsOf(container: TfResource): RuleOutcome | undefined {
  const groups = Array.isArray(container.attributes.group_add)
    ? container.attributes.group_add.map(String)
    : [];
  const rootGroups = groups.filter((g) =>
    ['0', 'root', 'wheel', 'sudo', 'docker', 'adm'].includes(g),
  );
  return rootGroups.length > 0
    ? nonCompliant(`group_add ${JSON.stringify(rootGroups)} gives the user a root-equivalent group`)
    : undefined;
}
