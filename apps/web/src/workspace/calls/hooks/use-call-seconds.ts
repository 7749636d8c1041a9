import { useEffect, useState } from 'react';

/** Seconds since `connectedAt`, re-read every second while `running`. */
export function useCallSeconds(connectedAt: string | null, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!connectedAt) return 0;
  // the server's clock and ours may differ a little: never show a negative time
  return Math.max(0, Math.floor((now - Date.parse(connectedAt)) / 1000));
}
