import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../../layers/base/errors';
import { replaceSeat } from '../../../../layers/core/classroom/operations/replace-seat';
import { resendEmail } from '../../../../layers/core/classroom/operations/resend-email';
import { classIn, NOW, seat, seated } from './fixtures';

describe("resending a student's email", () => {
  it('records a pending change in a ready class, and in a stopped one with a stable link', () => {
    const ready = resendEmail(classIn('ready'), seated(), 'seat-001', {}, NOW);
    expect(ready.change).toMatchObject({ kind: 'resend', state: 'pending' });
    const stopped = [seat(1, { state: 'stopped' })];
    expect(resendEmail(classIn('stopped'), stopped, 'seat-001', {}, NOW).change).toMatchObject({
      kind: 'resend',
    });
  });

  it('is the same request while the resend is pending', () => {
    const first = resendEmail(classIn('ready'), seated(), 'seat-001', {}, NOW);
    expect(resendEmail(first.record as never, seated(), 'seat-001', {}, NOW)).toEqual({
      record: null,
      change: first.change,
    });
  });

  it('refuses an anonymous seat: there is no one to email', () => {
    const anonymous = [seat(1, { student: null })];
    expect(() => resendEmail(classIn('ready'), anonymous, 'seat-001', {}, NOW)).toThrow(
      /seat-001 is anonymous: it has no student to email/,
    );
  });

  it('refuses a seat without a working link, and one being replaced', () => {
    const failed = [seat(1, { state: 'failed', url: null })];
    expect(() => resendEmail(classIn('ready'), failed, 'seat-001', {}, NOW)).toThrow(
      /seat-001 is failed: it has no working link to send; replace it/,
    );
    const replacing = replaceSeat(classIn('ready'), seated(), 'seat-001', {}, NOW).record;
    expect(() => resendEmail(replacing as never, seated(), 'seat-001', {}, NOW)).toThrow(
      /being replaced \(c01\): its student is emailed the new link/,
    );
  });

  it("refuses a stopped class's seat whose address changes at the next start", () => {
    const plain = classIn('stopped');
    const noTls = { ...plain, plan: { ...plain.plan, tls: { mode: 'none' as const } } };
    expect(() => resendEmail(noTls, [seat(1, { state: 'stopped' })], 'seat-001', {}, NOW)).toThrow(
      /address changes when the next session starts/,
    );
  });

  it.each(['scheduled', 'seating', 'ended', 'deleted', 'failed'] as const)(
    'refuses it in a %s class',
    (state) => {
      expect(() => resendEmail(classIn(state), seated(), 'seat-001', {}, NOW)).toThrow(
        ConflictError,
      );
    },
  );

  it('answers 404 for a seat the class does not have', () => {
    expect(() => resendEmail(classIn('ready'), seated(), 'seat-042', {}, NOW)).toThrow(
      NotFoundError,
    );
  });
});
