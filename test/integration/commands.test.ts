import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, packageJson } from './env';

describe('commands', () => {
  before(async () => {
    await extension().activate();
  });

  it('registers every command declared in package.json', async () => {
    const declared = (packageJson().contributes.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });

  it('declares every helpscout.* command it registers', async () => {
    const declared = new Set((packageJson().contributes.commands ?? []).map((c) => c.command));
    const views = Object.values(packageJson().contributes.views ?? {}).flat().map((v) => v.id);
    // VS Code registers focus/reset commands for each contributed view on its own.
    const generated = (c: string): boolean => views.some((v) => c.startsWith(`${v}.`));
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('helpscout.'));
    assert.deepEqual(ours.filter((c) => !declared.has(c) && !generated(c)), []);
  });

  it('runs helpscout.showLog', async () => {
    await vscode.commands.executeCommand('helpscout.showLog');
  });
});
