/** Personal numbers never reach the logs in clear: not in known fields, not in free text, not in errors. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'info', nodeId: 'test', destination });
  return { logger, output: () => lines.join('') };
}

describe('logger masking', () => {
  it('hides phone numbers and resident ID numbers wherever they appear', () => {
    const { logger, output } = capture();
    logger.info({ phone: '13800138000' }, 'login');
    logger.info('来电 13912345678，身份证 370102199003074512，请回电');
    logger.info({ caller: { mobile: '13912345678', note: '证件 370102199003074512' } }, 'callback');
    logger.warn('%s asked about %s', '13912345678', '370102199003074512');
    const out = output();
    expect(out).not.toContain('13800138000');
    expect(out).not.toContain('13912345678');
    expect(out).not.toContain('370102199003074512');
    expect(out).toContain('139****5678');
    expect(out).toContain('370102********4512');
    const first = JSON.parse(out.split('\n')[0] as string);
    expect(first.phone).not.toBe('13800138000');
    expect(String(first.phone)).toMatch(/^(138\*{4}8000|\[已隐藏\])$/);
  });

  it('masks numbers carried in an error message', () => {
    const { logger, output } = capture();
    logger.error({ err: new Error('duplicate key: phone=13912345678 id=370102199003074512') }, 'request failed');
    logger.error(new Error('用户 13800138000 登录失败'));
    const out = output();
    expect(out).not.toContain('13912345678');
    expect(out).not.toContain('370102199003074512');
    expect(out).not.toContain('13800138000');
    expect(out).toContain('139****5678');
    expect(out).toContain('138****8000');
    // still logged as an error, with its stack
    const first = JSON.parse(out.split('\n')[0] as string);
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'duplicate key: phone=139****5678 id=370102********4512',
    });
    expect(first.err.stack).toContain('logger.test.ts');
  });

  it('keeps ordinary numbers such as amounts and taxpayer numbers intact', () => {
    const { logger, output } = capture();
    logger.info({ amount: '12345678901.50', taxpayerNo: '91370102MA3C1234X5' }, '申报金额');
    const out = output();
    expect(out).toContain('91370102MA3C1234X5');
  });
});
