/**
 * 快捷入口: a catalogue the bureau keeps; each person picks and orders their own for the enterprise they act for.
 * Until they save a choice, the first entries of the catalogue are shown.
 */
import type { TShortcut } from '@zhengna/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { settings, shortcutCatalog, taxpayerShortcutPrefs, taxpayerShortcuts } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';

const DEFAULT_COUNT = 4;
type Row = typeof shortcutCatalog.$inferSelect;
const toShortcut = (r: Row): TShortcut => ({
  id: r.id,
  name: r.name,
  description: r.description,
  url: r.url,
  openIn: r.openIn,
});

export const DEFAULT_SHORTCUTS = [
  {
    id: 'guide',
    name: '办税指南',
    description: '各类涉税事项的办理流程与所需资料',
    url: '/portal/account.html#guide',
    openIn: 'parent',
  },
  {
    id: 'map',
    name: '办税地图',
    description: '查找附近的办税服务厅和自助办税终端',
    url: '/portal/account.html#map',
    openIn: 'parent',
  },
  {
    id: 'tools',
    name: '税务小工具',
    description: '个税计算器、印花税计算等常用工具',
    url: '/portal/account.html#tools',
    openIn: 'parent',
  },
  {
    id: 'invoice',
    name: '蓝字发票开具',
    description: '进入开票业务，开具数电发票',
    url: '/portal/invoice.html',
    openIn: 'parent',
  },
  {
    id: 'verify',
    name: '发票查验',
    description: '全国增值税发票查验平台',
    url: 'https://inv-veri.chinatax.gov.cn/',
    openIn: 'new_tab',
  },
  {
    id: 'policy',
    name: '政策法规库',
    description: '税收政策法规检索',
    url: 'https://fgk.chinatax.gov.cn/',
    openIn: 'new_tab',
  },
  {
    id: '12366',
    name: '12366纳税服务平台',
    description: '纳税咨询、办税辅导与学堂',
    url: 'https://12366.chinatax.gov.cn/',
    openIn: 'new_tab',
  },
] as const;

/** The bureau's starting catalogue, once: entries an administrator removes later stay removed. */
export async function seedShortcuts(db: Db) {
  const [marker] = await db.select().from(settings).where(eq(settings.key, 'shortcuts_seed'));
  if (marker) return;
  await db
    .insert(shortcutCatalog)
    .values(DEFAULT_SHORTCUTS.map((s, position) => ({ ...s, position })))
    .onConflictDoNothing();
  await db
    .insert(settings)
    .values({ key: 'shortcuts_seed', value: { version: 1 } })
    .onConflictDoNothing();
}

export function createShortcutsService(deps: { db: Db }) {
  const { db } = deps;
  const mineWhere = (a: TaxpayerActor) =>
    and(eq(taxpayerShortcuts.portalUserId, a.portalUserId), eq(taxpayerShortcuts.taxpayerId, a.taxpayerId));

  const catalog = () =>
    db.select().from(shortcutCatalog).where(eq(shortcutCatalog.active, true)).orderBy(asc(shortcutCatalog.position));

  async function mine(actor: TaxpayerActor, active: Row[]): Promise<TShortcut[]> {
    const [pref] = await db
      .select()
      .from(taxpayerShortcutPrefs)
      .where(
        and(
          eq(taxpayerShortcutPrefs.portalUserId, actor.portalUserId),
          eq(taxpayerShortcutPrefs.taxpayerId, actor.taxpayerId),
        ),
      );
    if (!pref) return active.slice(0, DEFAULT_COUNT).map(toShortcut);
    const chosen = await db
      .select()
      .from(taxpayerShortcuts)
      .where(mineWhere(actor))
      .orderBy(asc(taxpayerShortcuts.position));
    const byId = new Map(active.map((r) => [r.id, r]));
    // an entry the bureau has withdrawn disappears from everyone's choice
    return chosen.flatMap((c) => {
      const r = byId.get(c.shortcutId);
      return r ? [toShortcut(r)] : [];
    });
  }

  return {
    async get(actor: TaxpayerActor) {
      const active = await catalog();
      return { catalog: active.map(toShortcut), mine: await mine(actor, active) };
    },

    /** Saves the person's choice, in the given order. */
    async set(actor: TaxpayerActor, ids: string[]) {
      const unique = [...new Set(ids)];
      const active = await catalog();
      const known = new Set(active.map((r) => r.id));
      const unknown = unique.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `快捷入口不存在：${unknown.join('、')}`);
      await db.transaction(async (tx) => {
        await tx.delete(taxpayerShortcuts).where(mineWhere(actor));
        if (unique.length > 0) {
          await tx.insert(taxpayerShortcuts).values(
            unique.map((shortcutId, position) => ({
              portalUserId: actor.portalUserId,
              taxpayerId: actor.taxpayerId,
              shortcutId,
              position,
            })),
          );
        }
        await tx
          .insert(taxpayerShortcutPrefs)
          .values({ portalUserId: actor.portalUserId, taxpayerId: actor.taxpayerId })
          .onConflictDoUpdate({
            target: [taxpayerShortcutPrefs.portalUserId, taxpayerShortcutPrefs.taxpayerId],
            set: { savedAt: new Date() },
          });
      });
      return { catalog: active.map(toShortcut), mine: await mine(actor, active) };
    },

    // ── admin: the catalogue ──
    async adminList(_actor: StaffActor) {
      const rows = await db.select().from(shortcutCatalog).orderBy(asc(shortcutCatalog.position));
      return rows.map((r) => ({ ...toShortcut(r), position: r.position, active: r.active }));
    },

    async upsert(_actor: StaffActor, input: TShortcut & { position: number; active: boolean }) {
      await db
        .insert(shortcutCatalog)
        .values(input)
        .onConflictDoUpdate({ target: shortcutCatalog.id, set: { ...input, updatedAt: new Date() } });
      return { ok: true as const };
    },

    async remove(_actor: StaffActor, id: string) {
      const rows = await db
        .delete(shortcutCatalog)
        .where(inArray(shortcutCatalog.id, [id]))
        .returning({ id: shortcutCatalog.id });
      if (rows.length === 0) throw new AppError('NOT_FOUND', '快捷入口不存在。');
      return { ok: true as const };
    },
  };
}

export type ShortcutsService = ReturnType<typeof createShortcutsService>;
