/** Shared pieces of the fault tests: a direct database handle, the stored history, and polling for a condition. */
import pg from 'pg';

/** Polls until `check` returns true (or a truthy value); fails with `what` and the last detail after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type StoredMessage = { id: string; seq: number; body: string; clientId: string | null; senderType: string };

/** A conversation's stored messages, by seq, straight from PostgreSQL. */
export async function storedHistory(pool: pg.Pool, conversationId: string): Promise<StoredMessage[]> {
  const r = await pool.query<StoredMessage>(
    'select id, seq, body, client_id as "clientId", sender_type as "senderType" from messages where conversation_id = $1 order by seq',
    [conversationId],
  );
  return r.rows;
}

/** Every stored message appears once, numbered 1..n without gaps, and no client id was stored twice. */
export function isGaplessOnce(history: StoredMessage[]): boolean {
  const seqsOk = history.every((m, i) => m.seq === i + 1);
  const ids = history.filter((m) => m.clientId).map((m) => `${m.senderType}:${m.clientId}`);
  return seqsOk && new Set(ids).size === ids.length;
}

export const newPool = (url: string) => new pg.Pool({ connectionString: url, max: 3 });

/** GET with a deadline: resolves with the status and body, or 'timeout' when the server did not answer in time. */
export async function getWithin(url: string, ms: number): Promise<{ status: number; body: any } | 'timeout'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
    const text = await res.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') return 'timeout';
    throw err;
  }
}
