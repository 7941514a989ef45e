// Fails when a command is declared in package.json but has no entry in a command
// table of src/extension (`command(Commands.x, …)`), or has one but is not
// declared, or when anything registers a command outside the one registration
// point (src/extension/commands.ts). Commands meant only for menus are declared
// with `"when": "false"` in menus.commandPalette to hide them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const declared = new Set((pkg.contributes?.commands ?? []).map((c) => c.command));

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = walk('src/extension');
const sources = files.map((f) => readFileSync(f, 'utf8')).join('\n');
const constants = new Map();
for (const m of sources.matchAll(/(\w+):\s*'(helpscout\.[\w.]+)'/g)) constants.set(m[1], m[2]);
const registered = new Set();
for (const m of sources.matchAll(/\b(?:command|onConversation)\(\s*(?:Commands\.(\w+)|'(helpscout\.[\w.]+)')/g)) {
  registered.add(m[2] ?? constants.get(m[1]));
}

const problems = [];
for (const f of files) {
  if (f.endsWith('commands.ts') && f.split(/[\\/]/).at(-2) === 'extension') continue;
  if (/registerCommand\(/.test(readFileSync(f, 'utf8'))) problems.push(`${f} calls registerCommand: add a command(...) entry to a command table instead`);
}
for (const c of declared) if (!registered.has(c)) problems.push(`declared but not registered: ${c}`);
for (const c of registered) if (!declared.has(c)) problems.push(`registered but not declared: ${c}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`check-commands: ${declared.size} commands declared and registered`);
