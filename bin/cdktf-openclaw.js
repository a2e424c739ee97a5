#!/usr/bin/env node
'use strict';
const args = process.argv.slice(2);
if (args[0] === 'verify') {
  require('../dist/src/cli/verify')
    .main(args.slice(1))
    .then((code) => (process.exitCode = code));
} else {
  process.exitCode = require('../dist/src/cli/audit').main(args);
}
