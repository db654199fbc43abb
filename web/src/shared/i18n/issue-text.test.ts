import { describe, expect, it } from 'vitest';
import { translate, type TFunction } from './i18n.tsx';
import { issueText, reasonText } from './issue-text.ts';

const ja: TFunction = (key, vars) => translate('ja', key, vars);
const en: TFunction = (key, vars) => translate('en', key, vars);

describe('issueText', () => {
  it('puts a coded issue in the UI language with its figures', () => {
    const issue = { path: 'body.name', message: 'Too small', code: 'too_short', params: { minimum: 3 } };
    expect(issueText(issue, ja)).toBe('3文字以上で入力してください');
    expect(issueText(issue, en)).toBe('must have at least 3 characters');
    expect(
      issueText(
        {
          path: 'webhookUrl',
          message: '10.0.0.5 is not a public address',
          code: 'not_public_address',
          params: { host: '10.0.0.5' },
        },
        ja,
      ),
    ).toMatch(/^10\.0\.0\.5 は公開アドレスではありません/);
  });

  it('says an empty required text is required, and names the format when it knows it', () => {
    expect(issueText({ path: 'title', message: 'x', code: 'too_short', params: { minimum: 1 } }, ja)).toBe(
      '入力してください',
    );
    expect(
      issueText({ path: 'email', message: 'x', code: 'invalid_format', params: { format: 'email' } }, ja),
    ).toBe('メールアドレスの形式が正しくありません');
    expect(
      issueText({ path: 'x', message: 'x', code: 'invalid_format', params: { format: 'cuid' } }, ja),
    ).toBe('形式が正しくありません');
  });

  it("shows the server's message for an issue without a code it knows", () => {
    expect(issueText({ path: 'x', message: 'is odd', code: 'something_new' }, ja)).toBe('is odd');
    expect(issueText({ path: 'x', message: 'is odd' }, ja)).toBe('is odd');
  });

  it('words the reason of a conflict with its figures, and leaves a conflict without one to its detail', () => {
    const problem = {
      type: 'urn:mamori:problem:conflict',
      title: 'Conflict',
      status: 409,
      code: 'conflict',
      detail: '3 asset(s) of KCARD are classified above 3; reclassify them first',
      reason: 'classified_above',
      count: 3,
      levels: 3,
    };
    expect(reasonText(problem, ja)).toBe(
      '3 を超えて格付けされた資産が 3 件あります。先に格付けを見直してください。',
    );
    expect(reasonText(problem, en)).toBe('3 asset(s) are classified above 3; reclassify them first.');
    expect(reasonText({ ...problem, reason: undefined }, ja)).toBeNull();
    expect(reasonText({ ...problem, reason: 'something_new' }, ja)).toBeNull();
  });

  it('words the reason of a refusal', () => {
    const refused = {
      type: 'urn:mamori:problem:forbidden',
      title: 'Forbidden',
      status: 403,
      code: 'forbidden',
      detail: 'Only group-wide users edit the list of sending services',
      reason: 'group_only',
    };
    expect(reasonText(refused, ja)).toBe('グループ全体の権限を持つユーザーのみが行えます。');
  });
});
