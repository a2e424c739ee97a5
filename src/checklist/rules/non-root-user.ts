import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Item 6: runs as a numeric non-root user and group. */
export const nonRootUser: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const user = container.attributes.user;
  if (user === undefined || user === '')
    return nonCompliant('user is unset, so the image decides (often root)');
  if (isUnresolved(user)) return undecidable('user is not resolved');
  const [uid, gid] = String(user).split(':');
  const groups = Array.isArray(container.attributes.group_add)
    ? container.attributes.group_add.map(String)
    : [];
  const rootGroups = groups.filter((g) =>
    ['0', 'root', 'wheel', 'sudo', 'docker', 'adm'].includes(g),
  );
  if (rootGroups.length > 0)
    return nonCompliant(
      `group_add ${JSON.stringify(rootGroups)} gives the user a root-equivalent group`,
    );
  if (uid === '0' || uid === 'root' || gid === '0' || gid === 'root')
    return nonCompliant(`user "${user}" is root`);
  if (!/^\d+$/.test(uid) || (gid !== undefined && !/^\d+$/.test(gid)))
    return nonCompliant(
      `user "${user}" is a name, not a numeric uid:gid, so the image decides who that is`,
    );
  return compliant();
};
