// The baseline: a bare node:http server returning the same small JSON body as the function.
import { createServer } from 'node:http';

const body = JSON.stringify({ message: 'Hello from Lambda!' });
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
