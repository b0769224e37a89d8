#!/usr/bin/env node
// Runs npm scripts at the same time and fails if any of them fails:
//   node scripts/together.mjs lint check
// For steps of `npm test` that are independent and mostly single-threaded (ESLint + Prettier,
// astro check), so two of them use the machine's two cores instead of one. Each script's output
// is kept and printed whole when it ends (never interleaved), with how long it took.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/together.mjs <npm script> [<npm script> ...]');
  process.exit(2);
}

/** Runs `npm run <script>`; resolves with its exit code and all it printed, in order. */
function run(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString();
      process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const status = code === 0 ? 'ok' : `FAILED (${signal ?? `exit code ${code}`})`;
      console.log(`[together] npm run ${script}: ${status} in ${seconds} s\n`);
      resolve(code ?? 1);
    });
  });
}

const codes = await Promise.all(scripts.map(run));
process.exitCode = codes.find((code) => code !== 0) ?? 0;
