// Preloaded with `node -r` by the start-up test: reports, on file descriptor 3 when the process
// exits, every file in require.cache (one absolute path a line), after a first line `report`.
'use strict';
process.on('exit', () => {
  try {
    require('fs').writeSync(3, ['report', ...Object.keys(require.cache).sort()].join('\n') + '\n');
  } catch {
    // fd 3 not open: run outside the test
  }
});
