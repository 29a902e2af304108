// The deploylint extension: starts `deploylint lsp` for uWSGI ini files and Apache configs.
// Everything else (diagnostics, quick fixes, hover) comes from the language server.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** A `[uwsgi]` section makes an `.ini` file a uWSGI config (as deploylint's own discovery decides). */
const UWSGI_SECTION = /^[ \t]*\[uwsgi\][ \t\r]*(?:[;#].*)?$/m;

let client;

function promoteUwsgiIni(doc) {
  if (doc.uri.scheme !== 'file' || doc.languageId === 'uwsgi-ini') return;
  if (!/\.ini$/i.test(doc.fileName)) return;
  if (UWSGI_SECTION.test(doc.getText().slice(0, 1 << 20))) {
    vscode.languages.setTextDocumentLanguage(doc, 'uwsgi-ini').then(undefined, () => undefined);
  }
}

/** `deploylint.path`, else the workspace's own install, else `deploylint` on the PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('deploylint').get('path');
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders || []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', 'deploylint');
    if (fs.existsSync(local)) return local;
  }
  return 'deploylint';
}

async function activate(context) {
  const args = vscode.workspace.getConfiguration('deploylint').get('args') || [];
  // TransportKind.stdio adds --stdio, which `deploylint lsp` accepts
  const executable = { command: serverCommand(), args: ['lsp', ...args], transport: TransportKind.stdio };
  client = new LanguageClient('deploylint', 'deploylint', { run: executable, debug: executable }, {
    documentSelector: [
      { scheme: 'file', language: 'uwsgi-ini' },
      { scheme: 'file', language: 'apache-conf' },
    ],
    synchronize: {
      // files whose change on disk changes the deployment or its configuration
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.ini,*.conf,*.uwsgi,.htaccess,.deploylintrc*,package.json,.gitignore}'),
    },
  });
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(promoteUwsgiIni));
  vscode.workspace.textDocuments.forEach(promoteUwsgiIni);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
