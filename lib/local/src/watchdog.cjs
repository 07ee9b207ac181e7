// Kills a child process when its parent dies, whatever the way (even SIGKILL), so that nothing
// the local stack starts outlives the process that started it.
// Usage: node watchdog.cjs <parentPid> <childPid>
'use strict';
const [parent, child] = process.argv.slice(2).map(Number);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};
const timer = setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (alive(parent)) return;
  clearInterval(timer);
  try {
    process.kill(child, 'SIGTERM');
  } catch {}
  setTimeout(() => {
    try {
      if (alive(child)) process.kill(child, 'SIGKILL');
    } catch {}
    process.exit(0);
  }, 2000);
}, 300);
process.on('SIGTERM', () => process.exit(0));
