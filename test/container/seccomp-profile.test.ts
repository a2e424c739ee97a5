import { renderSeccompProfile, seccompProfileJson } from '../../src';
import {
  ALLOWED_SYSCALLS,
  CLONE_NAMESPACE_FLAGS,
  DENIED_SYSCALLS,
} from '../../src/container/seccomp-profile';
import { REQUIRED_DENIALS } from '../required-denials';

/** What Docker's seccomp loader accepts in a profile (moby profiles/seccomp types). */
const DOCKER_PROFILE_KEYS = [
  'defaultAction',
  'defaultErrnoRet',
  'architectures',
  'archMap',
  'syscalls',
  'listenerPath',
  'listenerMetadata',
  'flags',
];
const DOCKER_RULE_KEYS = [
  'names',
  'name',
  'action',
  'errnoRet',
  'args',
  'comment',
  'includes',
  'excludes',
];
const DOCKER_ACTIONS = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
];
const DOCKER_OPS = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
];

/** The action the profile takes for a syscall called with `arg0`, evaluated as libseccomp would. */
function actionFor(name: string, arg0 = 0): { action: string; errno?: number } {
  const profile = renderSeccompProfile();
  for (const rule of profile.syscalls) {
    if (!rule.names.includes(name)) continue;
    const argsMatch = (rule.args ?? []).every(
      (a) => a.index !== 0 || (arg0 & a.value) === a.valueTwo,
    );
    if (argsMatch) return { action: rule.action, errno: rule.errnoRet };
  }
  return { action: profile.defaultAction, errno: profile.defaultErrnoRet };
}

describe('the seccomp profile', () => {
  test("is valid JSON in Docker's format", () => {
    const profile = JSON.parse(seccompProfileJson());
    for (const key of Object.keys(profile)) expect(DOCKER_PROFILE_KEYS).toContain(key);
    expect(DOCKER_ACTIONS).toContain(profile.defaultAction);
    expect(profile.architectures).toContain('SCMP_ARCH_X86_64');
    expect(profile.architectures).toContain('SCMP_ARCH_AARCH64');
    for (const rule of profile.syscalls) {
      for (const key of Object.keys(rule)) expect(DOCKER_RULE_KEYS).toContain(key);
      expect(DOCKER_ACTIONS).toContain(rule.action);
      expect(rule.names.length).toBeGreaterThan(0);
      for (const arg of rule.args ?? []) {
        expect(DOCKER_OPS).toContain(arg.op);
        expect(
          Number.isInteger(arg.value) &&
            Number.isInteger(arg.valueTwo) &&
            Number.isInteger(arg.index),
        ).toBe(true);
      }
    }
  });

  test('denies by default with EPERM', () => {
    const profile = renderSeccompProfile();
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(profile.defaultErrnoRet).toBe(1);
  });

  test.each(REQUIRED_DENIALS)('%s is denied', (name) => {
    expect(DENIED_SYSCALLS).toContain(name);
    expect(actionFor(name)).toEqual({ action: 'SCMP_ACT_ERRNO', errno: 1 });
  });

  test('no denied syscall is allowed by any rule', () => {
    const allowedAnywhere = renderSeccompProfile()
      .syscalls.filter((r) => r.action === 'SCMP_ACT_ALLOW')
      .flatMap((r) => r.names);
    expect(DENIED_SYSCALLS.filter((n) => allowedAnywhere.includes(n))).toEqual([]);
    expect(new Set(ALLOWED_SYSCALLS).size).toBe(ALLOWED_SYSCALLS.length);
  });

  test('clone is allowed for threads and processes but not for new namespaces', () => {
    const CLONE_THREAD_FLAGS = 0x3d0f00; // what glibc's pthread_create passes
    const CLONE_NEWUSER = 0x10000000;
    const CLONE_NEWNET = 0x40000000;
    const CLONE_NEWNS = 0x00020000;
    expect(actionFor('clone', CLONE_THREAD_FLAGS).action).toBe('SCMP_ACT_ALLOW');
    expect(actionFor('clone', 17 /* SIGCHLD: fork */).action).toBe('SCMP_ACT_ALLOW');
    for (const flag of [CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWNS]) {
      expect(CLONE_NAMESPACE_FLAGS & flag).toBe(flag);
      expect(actionFor('clone', CLONE_THREAD_FLAGS | flag)).toEqual({
        action: 'SCMP_ACT_ERRNO',
        errno: 1,
      });
    }
  });

  test('clone3 answers ENOSYS so libc falls back to the filtered clone', () => {
    expect(actionFor('clone3')).toEqual({ action: 'SCMP_ACT_ERRNO', errno: 38 });
  });

  test('also refuses io_uring, device nodes, chroot and personality changes', () => {
    for (const name of [
      'io_uring_setup',
      'io_uring_enter',
      'mknod',
      'mknodat',
      'personality',
      'chroot',
    ]) {
      expect(actionFor(name).action).toBe('SCMP_ACT_ERRNO');
    }
  });
});
