'use strict';
/**
 * Secrets Manager rotation function for OpenClaw gateway tokens (deployed by GatewayTokenRotation,
 * Node.js runtime; the AWS SDK v3 is the one the Lambda runtime provides).
 *
 * A gateway accepts exactly one token, read from a file at start. So the new token becomes
 * AWSCURRENT only after the gateway runs with it:
 *   createSecret  puts a random token as AWSPENDING (once per rotation);
 *   setSecret     has nothing to do: the host's reconciler pulls AWSPENDING itself, writes it,
 *                 restarts only that gateway, checks it accepts the token, and tags the secret
 *                 `openclaw:applied-version` = the version;
 *   testSecret    waits for that tag, and fails while it is missing (Secrets Manager then retries
 *                 the rotation later);
 *   finishSecret  moves AWSCURRENT to the new version and removes the tag.
 * No token value is ever logged.
 */
const crypto = require('crypto');

const APPLIED_TAG = 'openclaw:applied-version';

/** Waits between looks for the host's record, in testSecret. */
const defaults = { waitSeconds: 240, pollSeconds: 15 };

async function rotate(event, call, options = {}) {
  const { waitSeconds, pollSeconds, sleep } = {
    ...defaults,
    sleep: (s) => new Promise((r) => setTimeout(r, s * 1000)),
    ...options,
  };
  const { Step: step, SecretId: secretId, ClientRequestToken: token } = event;
  const meta = await call('DescribeSecret', { SecretId: secretId });
  if (!meta.RotationEnabled) throw new Error(`secret ${secretId} is not enabled for rotation`);
  const stages = meta.VersionIdsToStages || {};
  if (!stages[token])
    throw new Error(`version ${token} is not a version of ${secretId}; start a new rotation`);
  if (stages[token].includes('AWSCURRENT')) return; // already done
  if (!stages[token].includes('AWSPENDING'))
    throw new Error(`version ${token} of ${secretId} is not AWSPENDING; start a new rotation`);

  switch (step) {
    case 'createSecret': {
      try {
        await call('GetSecretValue', {
          SecretId: secretId,
          VersionId: token,
          VersionStage: 'AWSPENDING',
        });
        return; // this rotation's token exists already
      } catch (e) {
        if (e.name !== 'ResourceNotFoundException') throw e;
      }
      await call('PutSecretValue', {
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: crypto.randomBytes(32).toString('base64url'),
        VersionStages: ['AWSPENDING'],
      });
      return;
    }
    case 'setSecret':
      return; // the host pulls the pending token (see above)
    case 'testSecret': {
      const deadline = Date.now() + waitSeconds * 1000;
      for (;;) {
        const now = await call('DescribeSecret', { SecretId: secretId });
        const applied = (now.Tags || []).find((t) => t.Key === APPLIED_TAG);
        if (applied && applied.Value === token) return;
        if (Date.now() >= deadline)
          throw new Error(
            `the host has not yet applied version ${token} of ${secretId} (no tag ${APPLIED_TAG}=${token}); its reconciler runs every minute: check it with \`journalctl -u openclaw-reconcile\` on the host. Secrets Manager retries the rotation`,
          );
        await sleep(pollSeconds);
      }
    }
    case 'finishSecret': {
      const current = Object.keys(stages).find((v) => stages[v].includes('AWSCURRENT'));
      await call('UpdateSecretVersionStage', {
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        ...(current ? { RemoveFromVersionId: current } : {}),
      });
      await call('UntagResource', { SecretId: secretId, TagKeys: [APPLIED_TAG] });
      return;
    }
    default:
      throw new Error(`unknown rotation step "${step}"`);
  }
}

/** The Lambda entry point: the SDK client the runtime provides. */
async function handler(event) {
  const sdk = require('@aws-sdk/client-secrets-manager');
  const client = new sdk.SecretsManagerClient({});
  const call = (name, input) => client.send(new sdk[`${name}Command`](input));
  await rotate(event, call);
  console.log(
    JSON.stringify({
      step: event.Step,
      secret: event.SecretId,
      version: event.ClientRequestToken,
      ok: true,
    }),
  );
}

module.exports = { handler, rotate, APPLIED_TAG };
