import { bindMountProblem } from '../../src';

describe('bind mounts', () => {
  test.each([
    ['/srv/openclaw/research/workspace', '/workspace'],
    ['/run/openclaw/research/secrets', '/run/secrets/openclaw'],
    ['/var/lib/openclaw/research/data', '/data'],
  ])('accepts %s -> %s', (hostPath, containerPath) => {
    expect(bindMountProblem({ hostPath, containerPath })).toBeUndefined();
  });

  test.each([
    ['/', 'hands the agent a whole system tree'],
    ['/run', 'hands the agent a whole system tree'],
    ['/var', 'hands the agent a whole system tree'],
    ['/home', 'exposes a home directory'],
    ['/home/alice', 'exposes a home directory'],
    ['/root', 'exposes a home directory'],
    ['/Users/alice/project', 'exposes a home directory'],
    ['/etc', 'exposes host configuration'],
    ['/etc/ssl', 'exposes host configuration'],
    ['/proc', 'exposes kernel interfaces'],
    ['/sys/fs/cgroup', 'exposes kernel interfaces'],
    ['/dev', 'exposes kernel interfaces'],
    ['/var/run/docker.sock', 'exposes the container runtime or host system state'],
    ['/run/docker.sock', 'exposes the container runtime or host system state'],
    ['/run/dbus', 'exposes the container runtime or host system state'],
    ['/run/crio/crio.sock', 'exposes the container runtime or host system state'],
    ['/srv/x/docker.sock', 'exposes a container runtime socket (root on the host)'],
    ['/srv/deploy/.ssh', 'exposes credentials (.ssh)'],
    ['/srv/deploy/.aws/credentials', 'exposes credentials (.aws)'],
    ['/srv/deploy/.openclaw', 'exposes credentials (.openclaw)'],
    ['/var/lib/docker/volumes/x', 'exposes the container runtime or host system state'],
    ['//etc/', 'exposes host configuration'],
  ])('refuses host path %s', (hostPath, why) => {
    expect(bindMountProblem({ hostPath, containerPath: '/data' })).toBe(
      `bind mount of "${hostPath}" ${why}; mount only a dedicated directory the agent needs, such as "/srv/openclaw/<agent>/workspace"`,
    );
  });

  test.each(['relative/path', '/srv/../etc', '/srv/a:/b'])(
    'refuses the malformed path %s',
    (hostPath) => {
      expect(bindMountProblem({ hostPath, containerPath: '/data' })).toBe(
        `bind mount host path "${hostPath}" must be an absolute path without ".." or ":"; mount a dedicated directory such as "/srv/openclaw/research/workspace"`,
      );
    },
  );

  test.each(['/', '/app', '/app/dist', '/etc', '/proc/self', '/run/openclaw'])(
    'refuses the container target %s',
    (containerPath) => {
      expect(bindMountProblem({ hostPath: '/srv/x', containerPath })).toMatch(
        new RegExp(
          `^bind mount target "${containerPath.replace(/\//g, '\\/')}" would cover .* inside the container; mount under a path of its own, such as "/workspace"$`,
        ),
      );
    },
  );
});
