// The probe extension: stands for any other installed extension. It hands its own
// SecretStorage to its tests, which try to read the Help Scout extension's secrets through it.
import type * as vscode from 'vscode';

export interface ProbeApi {
  readonly secrets: vscode.SecretStorage;
}

export function activate(context: vscode.ExtensionContext): ProbeApi {
  return { secrets: context.secrets };
}
