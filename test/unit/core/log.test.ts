import * as assert from 'node:assert/strict';
import { describeForLog } from '../../../src/core/log';

describe('describeForLog', () => {
  it('names the error and redacts what its message repeats', () => {
    const err = new TypeError('bad input OAuthClientSecret=Cs3cr3tValue;OAuthClientId=app1 for Bearer Tok3nValue');
    const line = describeForLog(err);
    assert.ok(line.startsWith('TypeError: bad input'), line);
    assert.ok(!line.includes('Cs3cr3tValue') && !line.includes('Tok3nValue'), line);
    assert.match(line, /OAuthClientId=app1/);
    assert.ok(!line.includes('at '), 'no stack');
    assert.equal(describeForLog('x-api-key: K3yValue'), 'x-api-key: ***');
  });
});
