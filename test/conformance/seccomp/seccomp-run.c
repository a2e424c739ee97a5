/*
 * Test helper: loads a seccomp filter described by a small rules file (written by the test from
 * the library's Docker-format profile) through the system's libseccomp, then either probes
 * syscalls or execs a command under the filter, the way runc applies a profile before exec.
 *
 * Rules file, one per line:
 *   default <errno>
 *   allow <name>
 *   allow_masked_eq <name> <arg index> <mask> <value>
 *   errno <name> <errno>
 * Usage:
 *   seccomp-run <rules> probe <name>...     prints "<name> <result> <errno>" per syscall
 *   seccomp-run <rules> clone <flags>       raw clone(flags|SIGCHLD); prints "clone <result> <errno>"
 *   seccomp-run <rules> exec <cmd> [args]   execs the command under the filter
 *
 * libseccomp is linked by soname (libseccomp.so.2, present on Debian), so only its runtime is
 * needed; these declarations match its public header (seccomp.h, API level 2.x).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void *scmp_filter_ctx;
enum scmp_compare { SCMP_CMP_MASKED_EQ_ = 7 };
struct scmp_arg_cmp {
  unsigned int arg;
  enum scmp_compare op;
  uint64_t datum_a;
  uint64_t datum_b;
};
extern scmp_filter_ctx seccomp_init(uint32_t def_action);
extern int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                  unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array);
extern int seccomp_load(const scmp_filter_ctx ctx);
extern int seccomp_syscall_resolve_name(const char *name);

#define ACT_ALLOW 0x7fff0000U
#define ACT_ERRNO(x) (0x00050000U | ((x)&0x0000ffffU))

static void die(const char *what) {
  fprintf(stderr, "seccomp-run: %s\n", what);
  exit(125);
}

static void load(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open rules file");
  char kind[64], name[64];
  unsigned long long a, b, c;
  int def = -1;
  if (fscanf(f, "%63s %d", kind, &def) != 2 || strcmp(kind, "default") != 0) die("rules must start with: default <errno>");
  scmp_filter_ctx ctx = seccomp_init(ACT_ERRNO(def));
  if (!ctx) die("seccomp_init failed");
  while (fscanf(f, "%63s %63s", kind, name) == 2) {
    int nr = seccomp_syscall_resolve_name(name);
    if (strcmp(kind, "allow") == 0) {
      if (nr >= 0 && seccomp_rule_add_array(ctx, ACT_ALLOW, nr, 0, NULL) != 0) die("rule add failed");
    } else if (strcmp(kind, "allow_masked_eq") == 0) {
      if (fscanf(f, "%llu %llu %llu", &a, &b, &c) != 3) die("allow_masked_eq needs index mask value");
      struct scmp_arg_cmp cmp = {(unsigned int)a, SCMP_CMP_MASKED_EQ_, b, c};
      if (nr >= 0 && seccomp_rule_add_array(ctx, ACT_ALLOW, nr, 1, &cmp) != 0) die("rule add failed");
    } else if (strcmp(kind, "errno") == 0) {
      if (fscanf(f, "%llu", &a) != 1) die("errno needs a number");
      if (nr >= 0 && seccomp_rule_add_array(ctx, ACT_ERRNO((int)a), nr, 0, NULL) != 0) die("rule add failed");
    } else {
      die("unknown rule kind");
    }
  }
  fclose(f);
  if (seccomp_load(ctx) != 0) die("seccomp_load failed");
}

int main(int argc, char **argv) {
  if (argc < 3) die("usage: seccomp-run <rules> probe|clone|exec ...");
  load(argv[1]);
  if (strcmp(argv[2], "probe") == 0) {
    for (int i = 3; i < argc; i++) {
      int nr = seccomp_syscall_resolve_name(argv[i]);
      if (nr < 0) {
        printf("%s unknown 0\n", argv[i]);
        continue;
      }
      errno = 0;
      long r = syscall(nr, 0, 0, 0, 0, 0, 0);
      printf("%s %ld %d\n", argv[i], r, r == -1 ? errno : 0);
    }
    return 0;
  }
  if (strcmp(argv[2], "clone") == 0 && argc == 4) {
    unsigned long flags = strtoul(argv[3], NULL, 0) | SIGCHLD;
    errno = 0;
    long r = syscall(SYS_clone, flags, 0, 0, 0, 0);
    if (r == 0) _exit(0);
    int err = r == -1 ? errno : 0;
    if (r > 0) waitpid((pid_t)r, NULL, 0);
    printf("clone %ld %d\n", r > 0 ? 0L : r, err);
    return 0;
  }
  if (strcmp(argv[2], "exec") == 0 && argc >= 4) {
    execvp(argv[3], &argv[3]);
    die("exec failed");
  }
  die("unknown mode");
  return 125;
}
