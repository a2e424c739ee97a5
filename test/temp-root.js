/**
 * Jest's globalSetup and globalTeardown for every project: the tests' temp folders (anything
 * made under os.tmpdir()) go into one folder for the run, set as TMPDIR before the workers start
 * (they inherit it), and removed whole when the run ends, so a run leaves nothing in /tmp.
 * A child process a test starts with an environment of its own keeps its own TMPDIR.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const VAR = 'CDKTF_OPENCLAW_TEST_TMP';

async function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-openclaw-tests-'));
  process.env[VAR] = root;
  process.env.TMPDIR = root;
}

async function teardown() {
  const root = process.env[VAR];
  if (root === undefined) return;
  fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}

module.exports = { setup, teardown };
