/**
 * The fake Secrets Manager of the engine tests' fake upstreams (fake-upstream.mjs,
 * load-upstream.mjs), on 127.0.0.1:port of the broker's network namespace: GetSecretValue
 * answers `secretValue` for any secret id; any other call gets a 400. No dependencies.
 */
import * as http from 'node:http';

/**
 * Starts it. `record` gets one entry per call (the target, never the value) and one when it
 * listens.
 */
export function fakeSecretsManager({ port, secretValue, versionId, record }) {
  return http
    .createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        record({ server: 'secrets', target });
        if (target !== 'secretsmanager.GetSecretValue') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'InvalidRequestException', message: target }));
          return;
        }
        let id = '';
        try {
          id = String(JSON.parse(text || '{}').SecretId ?? '');
        } catch {
          // an unreadable body names no secret
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            ARN: `arn:aws:secretsmanager:eu-central-1:123456789012:secret:${id}-AbCdEf`,
            Name: id,
            VersionId: versionId,
            SecretString: secretValue,
            VersionStages: ['AWSCURRENT'],
            CreatedDate: Math.floor(Date.now() / 1000),
          }),
        );
      });
    })
    .listen(port, '127.0.0.1', () => record({ server: 'secrets', listening: port }));
}
