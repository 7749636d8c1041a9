/** Process entry: start the node and shut it down gracefully on SIGTERM/SIGINT. */
import { startApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const running = await startApp(config);
console.log(`征纳互动已启动：http://localhost:${running.port}/  （坐席工作台 /workspace/，管理端 /admin/）`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 5000);
    try {
      await running.close();
      process.exit(0);
    } catch {
      process.exit(1);
    } finally {
      clearTimeout(timer);
    }
  });
}
