// Serves a built dist/ as a static host does (GitHub Pages, a CDN): files with their MIME types, and
// 404.html for any unknown path (status 404), so deep links load the app. Optional sub-path: the second
// argument (e.g. /sub/) is where dist/ is mounted. Prints its base URL on the first line.
// Usage: node tests/e2e/serve-dist.mjs DIST [PREFIX] [PORT]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';

const [dist = 'dist', prefix = '/', port = '0'] = process.argv.slice(2);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.txt': 'text/plain', '.json': 'application/json',
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  let path = decodeURIComponent(url.pathname);
  if (!path.startsWith(prefix)) path = '/404.html';
  else path = '/' + path.slice(prefix.length);
  if (path === '/') path = '/index.html';
  const file = normalize(join(dist, path));
  try {
    if (!file.startsWith(normalize(dist))) throw new Error('outside');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    const body = await readFile(join(dist, '404.html'));
    res.writeHead(404, { 'content-type': types['.html'] });
    res.end(body);
  }
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}${prefix === '/' ? '' : prefix.replace(/\/$/, '')}`);
});
