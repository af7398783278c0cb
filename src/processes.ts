/**
 * Whether a process with this id is running on this machine: how a lock or control file left by
 * a process that was killed (-9) is told from one whose owner is still there. EPERM means the
 * process exists but belongs to someone else; ESRCH that it has gone.
 */
export function isProcessRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
