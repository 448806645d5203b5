// The baseline of the benchmark: a bare fastify route over the same TLS, answering fixed bytes.
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { selfSigned } from '../../dist/simulator/tls.js';

const reply = readFileSync(process.argv[2], 'utf8');
const tls = selfSigned();
const app = Fastify({ https: { key: tls.key, cert: tls.cert }, logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
app.post('/sdk', (_req, res) => res.type('text/xml; charset=utf-8').send(reply));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`https://127.0.0.1:${app.server.address().port}/sdk\n`);
