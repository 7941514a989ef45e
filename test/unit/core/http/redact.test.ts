import * as assert from 'node:assert/strict';
import { redactText, redactUrl } from '../../../../src/core/http/redact';

describe('redaction', () => {
  it('removes credentials and secret query parameters from URLs', () => {
    const out = redactUrl(
      'https://user:p4ss@api.example.test/v2/oauth2/token?code=abc123&state=s1&access_token=tok&refresh_token=r&client_secret=cs&page=2',
    );
    for (const secret of ['user', 'p4ss', 'abc123', '=tok', '=r&', 'cs&']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /state=s1/);
    assert.match(out, /page=2/);
    assert.match(out, /code=\*\*\*/);
    assert.match(out, /^https:\/\/\*\*\*@api\.example\.test\//);
  });

  it('leaves URLs without secrets unchanged', () => {
    const url = 'http://127.0.0.1:5000/v2/conversations?status=all&page=3';
    assert.equal(redactUrl(url), url);
  });

  it('redacts form bodies, JSON bodies and Authorization values in text', () => {
    const form = 'grant_type=refresh_token&refresh_token=RT-1&client_id=app&client_secret=SEC';
    const f = redactText(form);
    assert.ok(!f.includes('RT-1') && !f.includes('SEC'), f);
    assert.match(f, /client_id=app/);
    const json = redactText('{"access_token":"AT-9","token_type":"bearer","refresh_token":"RT-9"}');
    assert.ok(!json.includes('AT-9') && !json.includes('RT-9'), json);
    assert.match(json, /"token_type":"bearer"/);
    const header = redactText('Authorization: Bearer abc.def-123 and Basic a2V5Olg=');
    assert.ok(!header.includes('abc.def-123') && !header.includes('a2V5Olg='), header);
  });
});
