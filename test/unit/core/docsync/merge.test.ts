// The line merge pull uses: clean merges, clashes with markers, and the
// marker check push relies on.
import assert from 'node:assert/strict';
import { hasConflictMarkers, mergeText } from '../../../../src/core/docsync';

describe('core/docsync mergeText', () => {
  const base = ['---', 'id: a1', 'updatedAt: 2024-01-01T00:00:00Z', '---', '', 'One.', '', 'Two.', '', 'Three.', ''].join('\n');

  it('takes whichever side changed when only one did', () => {
    const changed = base.replace('Two.', 'Two, changed.');
    assert.deepEqual(mergeText(base, base, changed), { text: changed, conflicts: 0 });
    assert.deepEqual(mergeText(changed, base, base), { text: changed, conflicts: 0 });
  });

  it('merges changes to different lines, front matter included', () => {
    const local = base.replace('One.', 'One, here.');
    const server = base.replace('Three.', 'Three, there.').replace('2024-01-01T00:00:00Z', '2024-02-02T00:00:00Z');
    const r = mergeText(local, base, server);
    assert.equal(r.conflicts, 0);
    assert.equal(r.text, base.replace('One.', 'One, here.').replace('Three.', 'Three, there.').replace('2024-01-01T00:00:00Z', '2024-02-02T00:00:00Z'));
  });

  it('the same change on both sides is no clash', () => {
    const both = base.replace('Two.', 'Two!');
    assert.deepEqual(mergeText(both, base, both), { text: both, conflicts: 0 });
  });

  it('leaves standard markers, local first, where both changed the same line', () => {
    const r = mergeText(base.replace('Two.', 'Two, mine.'), base, base.replace('Two.', 'Two, theirs.'));
    assert.equal(r.conflicts, 1);
    assert.ok(r.text.includes('\n<<<<<<< local\nTwo, mine.\n=======\nTwo, theirs.\n>>>>>>> help scout\n'), r.text);
    assert.ok(hasConflictMarkers(r.text));
    assert.ok(!hasConflictMarkers(base));
  });

  it('treats CRLF files as their LF text', () => {
    const local = base.replace('One.', 'One, here.').replace(/\n/g, '\r\n');
    const r = mergeText(local, base, base.replace('Three.', 'Three, there.'));
    assert.equal(r.conflicts, 0);
    assert.ok(!r.text.includes('\r'));
  });
});
