import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream',
};

/** A static file server on 127.0.0.1 (a free port) serving `mounts` (URL prefix → folder); `close()` stops it. */
export async function serveFolders(mounts: Readonly<Record<string, string>>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const prefix = Object.keys(mounts).sort((a, b) => b.length - a.length).find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : mounts[prefix]!;
    const rel = prefix === undefined ? '' : normalize(path.slice(prefix.length) || 'index.html');
    const file = root === undefined ? undefined : join(root, rel === '.' || rel.endsWith(sep) ? join(rel, 'index.html') : rel);
    if (file === undefined || rel.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
