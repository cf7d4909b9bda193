// mme_fake_peer.mjs — a misbehaving Matchmaker Exchange peer for test_mme.sh:
//   node mme_fake_peer.mjs DIR     prints "port N" once listening on 127.0.0.1
// Every request body is saved as DIR/req-<n>.json (with DIR/req-<n>.hdr: the X-Auth-Token
// received), so the test can validate what genoshare sends. The answer depends on the path:
//   /garbage/match  200, MME content type, a body that is not JSON
//   /invalid/match  200, JSON that breaks the MME response schema (score is a string)
//   /big/match      200, a valid-looking JSON body of 2 MiB (over genoshare's 1 MiB bound)
//   /slow/match     never answers (genoshare's time bound must end it)
//   /html/match     200, text/html
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';

const dir = process.argv[2];
let n = 0;
const TYPE = 'application/vnd.ga4gh.matchmaker.v1.1+json';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    n += 1;
    writeFileSync(`${dir}/req-${n}.json`, Buffer.concat(chunks));
    writeFileSync(`${dir}/req-${n}.hdr`, `${req.url} ${req.headers['x-auth-token'] || ''}\n`);
    const kind = req.url.split('/')[1];
    if (kind === 'slow') return; // left hanging
    if (kind === 'garbage') {
      res.writeHead(200, { 'Content-Type': TYPE });
      return res.end('<<< this is not JSON >>>');
    }
    if (kind === 'invalid') {
      res.writeHead(200, { 'Content-Type': TYPE });
      return res.end(JSON.stringify({ results: [{ score: { patient: 'high' }, patient: {} }] }));
    }
    if (kind === 'big') {
      res.writeHead(200, { 'Content-Type': TYPE });
      return res.end(JSON.stringify({ results: [], pad: 'x'.repeat(2 << 20) }));
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    return res.end('<html>hello</html>');
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`port ${server.address().port}`);
});
