/** The pool's per-stream back-pressure accounting. */
import { describe, expect, it } from 'vitest';
import { Backlog } from './engine-pool.ts';

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('Backlog', () => {
  it('lets pushes through while less than the limit waits in the engine', async () => {
    const b = new Backlog(3200);
    b.add(1600);
    expect(await settled(b.wait())).toBe(true);
    b.add(1600);
    expect(b.pending).toBe(3200);
    const held = b.wait();
    expect(await settled(held)).toBe(false);
    // the engine has processed the first frame: the backlog is under the limit again
    b.ack(1600);
    expect(await settled(held)).toBe(true);
    expect(b.pending).toBe(1600);
  });

  it('acks are running totals: a stale one changes nothing, one beyond what was sent is capped', async () => {
    const b = new Backlog(1000);
    b.add(3000);
    b.ack(2500);
    b.ack(1000);
    expect(b.processed).toBe(2500);
    b.ack(9999);
    expect(b.processed).toBe(3000);
    expect(b.pending).toBe(0);
  });

  it('an ended stream releases whoever waits', async () => {
    const b = new Backlog(100);
    b.add(500);
    const held = b.wait();
    expect(await settled(held)).toBe(false);
    b.release();
    expect(await settled(held)).toBe(true);
  });
});
