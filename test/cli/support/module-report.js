// Preloaded with `node -r` by the start-up test: reports, on file descriptor 3 when the process
// exits, the npm packages it loaded (one name per line), after a first line `report`.
'use strict';
process.on('exit', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add(match[1].replace(/\\/g, '/'));
  }
  try {
    require('fs').writeSync(3, ['report', ...[...names].sort()].join('\n') + '\n');
  } catch {
    // fd 3 not open: run outside the test
  }
});
