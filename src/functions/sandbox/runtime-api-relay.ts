// Runs inside a sandbox, first: it gives the runtime AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001, as on
// Lambda, on the sandbox's own loopback (its own network namespace), and relays each connection to
// the environment's Runtime API server over the Unix socket bound into this sandbox alone. Then it
// starts the runtime and ends as it ends, so the gateway sees the runtime's exit code or signal.
// Node built-ins only: the sandbox holds nothing else of ours.
// Usage: node runtime-api-relay.js <socket> <port> <command> [args…]
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

const [socketPath, port, command, ...args] = process.argv.slice(2);
if (socketPath === undefined || port === undefined || command === undefined) {
  process.stderr.write('usage: runtime-api-relay <socket> <port> <command> [args…]\n');
  process.exit(2);
}

// No Nagle on the runtime's side: an answer held back for an ACK costs a delayed-ACK timer.
const relay = createServer({ noDelay: true }, (inside) => {
  const outside = connect(socketPath);
  inside.pipe(outside).pipe(inside);
  inside.on('error', () => outside.destroy());
  outside.on('error', () => inside.destroy());
});

relay.listen(Number(port), '127.0.0.1', () => {
  // bubblewrap sets PWD; Lambda's runtime environment has no such variable.
  const { PWD: _pwd, ...env } = process.env;
  const runtime = spawn(command, args, { stdio: 'inherit', env });
  runtime.once('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`cannot start ${command}: ${error.code ?? error.message}\n`);
    process.exit(127);
  });
  runtime.once('exit', (code, signal) => {
    // The same signal on ourselves, so `signal: killed` (an out-of-memory kill) reaches the gateway.
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
});
