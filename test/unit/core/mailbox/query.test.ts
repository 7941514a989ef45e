import * as assert from 'node:assert/strict';
import { query } from '../../../../src/core/mailbox/query';

describe('Mailbox search query builder', () => {
  it('builds the documented forms', () => {
    const q = query.and(
      query.field('subject', 'refund'),
      query.not(query.field('email', 'x@y.z')),
      query.range('modifiedAt', new Date('2024-01-01T00:00:00.000Z'), '*'),
    );
    assert.equal(
      query.build(q),
      '(subject:"refund" AND (NOT email:"x@y.z") AND modifiedAt:[2024-01-01T00:00:00Z TO *])',
    );
    assert.equal(query.build(query.field('tag', 'vip')), '(tag:"vip")');
    assert.equal(query.build(query.or('a:"1"', query.field('b', 2))), '(a:"1" OR b:"2")');
  });

  it('escapes quotes and backslashes inside values', () => {
    const q = query.field('subject', 'say "hi" \\ bye');
    assert.equal(q.text, 'subject:"say \\"hi\\" \\\\ bye"');
  });

  it('refuses field names that could break out of the syntax', () => {
    assert.throws(() => query.field('subject:"x") OR (y', 'z'), RangeError);
    assert.throws(() => query.range('a b', '*', '*'), RangeError);
  });

  it('normalises string date bounds to the API form without milliseconds', () => {
    assert.equal(query.range('modifiedAt', '2024-03-01T10:00:00.123Z', '2024-03-02').text,
      'modifiedAt:[2024-03-01T10:00:00Z TO 2024-03-02T00:00:00Z]');
  });
});
