#!/usr/bin/env node
'use strict';
process.exitCode = require('../dist/src/cli/audit').main(process.argv.slice(2));
