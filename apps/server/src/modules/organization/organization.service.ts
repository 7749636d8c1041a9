/**
 * 组织与人员: staff accounts (create with a temporary password, edit with a version check, reset the password) and
 * the tax-office tree (add, rename, move, delete). Account changes that alter what a person may do end their sessions.
 */
import {
  passwordProblems,
  STAFF_PAGE_SIZE,
  type TCreateStaffRequest,
  type TCreateTaxOfficeRequest,
  type TSecuritySettings,
  type TStaffAccount,
  type TStaffAccountPage,
  type TTaxOfficeRecord,
  type TTemporaryPasswordResponse,
  type TUpdateStaffRequest,
  type TUpdateTaxOfficeRequest,
} from '@zhengna/contracts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import type { IdentityService } from '../identity/identity.service.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { hashPassword } from '../identity/password.ts';
import {
  accountChangeRefusal,
  changeEndsSessions,
  officeAndDescendants,
  officeDeleteRefusal,
  officeMoveRefusal,
} from './organization.policy.ts';
import { type AccountRow, isUniqueViolation, type OfficeRow, organizationRepo as repo } from './organization.repo.ts';
import { generateTemporaryPassword } from './temporary-password.ts';

export type OrganizationDeps = {
  db: Db;
  identity: Pick<IdentityService, 'endStaffSessions'>;
  /** 账号安全 settings: the temporary password meets the current password policy. */
  security: () => Promise<TSecuritySettings>;
};

const STAFF_CONFLICT = () => new AppError('VERSION_CONFLICT', '该账号已被他人修改，请刷新后再修改。');
const OFFICE_CONFLICT = () => new AppError('VERSION_CONFLICT', '该税务机关已被他人修改，请刷新后再操作。');
const STAFF_MISSING = () => new AppError('NOT_FOUND', '该工作人员账号不存在，可能已被删除，请刷新后再试。');
const OFFICE_MISSING = () => new AppError('NOT_FOUND', '该税务机关不存在，可能已被删除，请刷新后再试。');
const NO_SUCH_OFFICE = () =>
  new AppError('VALIDATION_FAILED', '所属税务机关不存在，请刷新后重新选择。', { officeId: '所属税务机关不存在' });
const usernameTaken = (username: string) =>
  new AppError('VALIDATION_FAILED', `用户名“${username}”已被使用，请换一个。`, {
    username: `用户名“${username}”已被使用`,
  });

const SESSION_REASON = {
  deactivated: '登录已失效：您的账号已被管理员停用。',
  role: '登录已失效：您的账号角色已被管理员调整，请重新登录。',
  reset: '登录已失效：您的密码已被管理员重置，请使用新的临时密码登录。',
} as const;

function accountOf(row: AccountRow): TStaffAccount {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    officeId: row.officeId,
    officeName: row.officeName,
    active: row.active,
    mustChangePassword: row.mustChangePassword,
    locked: row.lockedUntil !== null && row.lockedUntil.getTime() > Date.now(),
    totpEnabled: row.totpEnabled,
    presence: row.presence,
    maxConcurrent: row.maxConcurrent,
    createdAt: row.createdAt.toISOString(),
    version: row.version,
  };
}

const officeOf = (row: OfficeRow): TTaxOfficeRecord => ({
  id: row.id,
  name: row.name,
  parentId: row.parentId,
  version: row.version,
});

export function createOrganizationService(deps: OrganizationDeps) {
  const { db } = deps;

  async function account(id: string): Promise<TStaffAccount> {
    const row = await repo.accountById(db, id);
    if (!row) throw STAFF_MISSING();
    return accountOf(row);
  }

  /** A fresh temporary password under today's policy, and its hash. */
  async function temporaryPassword() {
    const { passwordMinLength } = await deps.security();
    const password = generateTemporaryPassword(passwordMinLength);
    // the generator guarantees it; a policy grown stricter than the generator must fail loudly, not hand out a dud
    if (passwordProblems(password, passwordMinLength).length > 0) throw new Error('temporary password misses policy');
    return { password, hash: await hashPassword(password) };
  }

  return {
    /** 人员账号: search by username or name, filter by role, office (with the offices below it) and status. */
    async listStaff(
      _actor: StaffActor,
      query: { q?: string; role?: AccountRow['role']; officeId?: string; active?: boolean; page: number },
    ): Promise<TStaffAccountPage> {
      const officeIds = query.officeId ? officeAndDescendants(await repo.allOffices(db), query.officeId) : undefined;
      const { rows, total } = await repo.listStaff(
        db,
        { q: query.q || undefined, role: query.role, officeIds, active: query.active },
        { offset: (query.page - 1) * STAFF_PAGE_SIZE, limit: STAFF_PAGE_SIZE },
      );
      return { items: rows.map(accountOf), total, page: query.page, pageSize: STAFF_PAGE_SIZE };
    },

    /** A new account with a temporary password, returned this once; the first login must replace it. */
    async createStaff(_actor: StaffActor, input: TCreateStaffRequest): Promise<TTemporaryPasswordResponse> {
      if (await repo.usernameTaken(db, input.username)) throw usernameTaken(input.username);
      if (!(await repo.officeById(db, input.officeId))) throw NO_SUCH_OFFICE();
      const { password, hash } = await temporaryPassword();
      let id: string;
      try {
        id = await repo.insertStaff(db, {
          username: input.username,
          name: input.name,
          role: input.role,
          taxOfficeId: input.officeId,
          passwordHash: hash,
        });
      } catch (err) {
        // another administrator took the name a moment ago
        if (isUniqueViolation(err)) throw usernameTaken(input.username);
        throw err;
      }
      return { account: await account(id), temporaryPassword: password };
    },

    /**
     * Edits an account if nobody changed it since `version`. Deactivation and a new role end that person's sessions;
     * nobody may lock themselves out, and the last active administrator stays one.
     */
    async updateStaff(actor: StaffActor, id: string, input: TUpdateStaffRequest): Promise<TStaffAccount> {
      const ended = await db.transaction(async (tx) => {
        // administrators first, then the account, always in that order: two administrators demoting each other
        // queue up instead of deadlocking, and the second one sees who is left
        const activeAdminIds = await repo.lockActiveAdmins(tx);
        const before = await repo.lockStaff(tx, id);
        if (!before) throw STAFF_MISSING();
        if (before.version !== input.version) throw STAFF_CONFLICT();
        if (!(await repo.officeById(tx, input.officeId))) throw NO_SUCH_OFFICE();
        const after = { role: input.role, active: input.active };
        const refusal = accountChangeRefusal({ actorId: actor.staffId, targetId: id, before, after, activeAdminIds });
        if (refusal) throw new AppError('VALIDATION_FAILED', refusal);
        await repo.updateStaff(tx, id, {
          name: input.name,
          role: input.role,
          taxOfficeId: input.officeId,
          active: input.active,
          ...(input.maxConcurrent === undefined ? {} : { maxConcurrent: input.maxConcurrent }),
          // a deactivated agent is not offered new conversations, whatever the presence switch said
          ...(input.active ? {} : { presence: 'away' as const }),
        });
        if (!changeEndsSessions(before, after)) return null;
        return before.active && !after.active ? SESSION_REASON.deactivated : SESSION_REASON.role;
      });
      // after the commit: a socket closed now reconnects into the changed account, not the old one
      if (ended) await deps.identity.endStaffSessions(id, ended);
      return account(id);
    },

    /** 重置密码: a new temporary password, returned once; the lock is lifted and every session ends. */
    async resetPassword(actor: StaffActor, id: string): Promise<TTemporaryPasswordResponse> {
      if (id === actor.staffId) {
        throw new AppError('VALIDATION_FAILED', '不能重置自己的密码，请在“账号安全”中修改密码。');
      }
      const { password, hash } = await temporaryPassword();
      if (!(await repo.resetPassword(db, id, hash))) throw STAFF_MISSING();
      await deps.identity.endStaffSessions(id, SESSION_REASON.reset);
      return { account: await account(id), temporaryPassword: password };
    },

    // ── 税务机关 ──────────────────────────────────────────────────────

    async createOffice(_actor: StaffActor, input: TCreateTaxOfficeRequest): Promise<TTaxOfficeRecord> {
      const parentId = input.parentId ?? null;
      const exists = () =>
        new AppError('VALIDATION_FAILED', `机关代码“${input.id}”已存在，请换一个。`, {
          id: `机关代码“${input.id}”已存在`,
        });
      if (await repo.officeById(db, input.id)) throw exists();
      if (parentId !== null && !(await repo.officeById(db, parentId))) {
        throw new AppError('VALIDATION_FAILED', '上级机关不存在，请刷新后重新选择。', { parentId: '上级机关不存在' });
      }
      try {
        return officeOf(await repo.insertOffice(db, { id: input.id, name: input.name, parentId }));
      } catch (err) {
        if (isUniqueViolation(err)) throw exists();
        throw err;
      }
    },

    /** Renames and/or moves an office; a move under itself or one of its own sub-offices is refused. */
    async updateOffice(_actor: StaffActor, id: string, input: TUpdateTaxOfficeRequest): Promise<TTaxOfficeRecord> {
      return db.transaction(async (tx) => {
        const offices = await repo.lockOffices(tx);
        const current = offices.find((o) => o.id === id);
        if (!current) throw OFFICE_MISSING();
        if (current.version !== input.version) throw OFFICE_CONFLICT();
        const refusal = officeMoveRefusal(offices, id, input.parentId);
        if (refusal) throw new AppError('VALIDATION_FAILED', refusal, { parentId: refusal });
        return officeOf(await repo.updateOffice(tx, id, { name: input.name, parentId: input.parentId }));
      });
    },

    /** Deleted only once no sub-office, staff member, taxpayer or case refers to it. */
    async deleteOffice(_actor: StaffActor, id: string, version: number) {
      await db.transaction(async (tx) => {
        const current = (await repo.lockOffices(tx)).find((o) => o.id === id);
        if (!current) throw OFFICE_MISSING();
        if (current.version !== version) throw OFFICE_CONFLICT();
        const refusal = officeDeleteRefusal(current.name, await repo.officeDependants(tx, id));
        if (refusal) throw new AppError('VALIDATION_FAILED', refusal);
        await repo.deleteOffice(tx, id);
      });
      return { ok: true as const };
    },
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;
