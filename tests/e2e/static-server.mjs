// static-server.mjs — a tiny static file server for end-to-end tests, loopback only.
//
//   node static-server.mjs ROOT [PORT]
//
// Serves the files under ROOT on 127.0.0.1:PORT (0 or absent: any free port). Once
// listening it prints the port on a line of its own to stdout. Missing files get 404.
// Two paths exist for testing failures and redirects:
//   /__status/500/...   answers 500 for anything below it
//   /__redirect/REST    answers 302 to /REST
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

const [rootArg, portArg = '0'] = process.argv.slice(2);
if (!rootArg) {
  process.stderr.write('usage: node static-server.mjs ROOT [PORT]\n');
  process.exit(2);
}
const root = path.resolve(rootArg);
const port = Number.parseInt(portArg, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`static-server: bad port '${portArg}'\n`);
  process.exit(2);
}

function reply(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(text);
}

const server = createServer(async (req, res) => {
  let urlPath;
  try {
    urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  } catch {
    return reply(res, 400, 'bad request\n');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed\n');
  if (urlPath.startsWith('/__status/500/') || urlPath === '/__status/500')
    return reply(res, 500, 'internal error (on purpose)\n');
  if (urlPath.startsWith('/__redirect/'))
    return reply(res, 302, 'found\n', { Location: urlPath.slice('/__redirect'.length) });

  // Resolve inside root only: a path that climbs out is treated as missing.
  const file = path.resolve(root, '.' + urlPath);
  if (file !== root && !file.startsWith(root + path.sep)) return reply(res, 404, 'not found\n');
  let info;
  try {
    info = await stat(file);
  } catch {
    return reply(res, 404, 'not found\n');
  }
  if (!info.isFile()) return reply(res, 404, 'not found\n');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(info.size),
  });
  if (req.method === 'HEAD') return res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});

// Exit at once on a signal: waiting for keep-alive connections to close could hang a test.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
