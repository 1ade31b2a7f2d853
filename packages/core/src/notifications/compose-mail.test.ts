import { composeMail } from './compose-mail';

const install = { id: 'abcdefghij0123456789abcde', title: 'Alice Blog', url: 'https://alice.example/blog' };

describe('composeMail', () => {
  it('names the install, the event and the time in the subject and the plain text', () => {
    const m = composeMail({ type: 'backup', install, user: 'alice', time: 1_700_000_000 });
    expect(m.subject).toBe('Backup created: Alice Blog');
    expect(m.text).toContain('Hello alice,');
    expect(m.text).toContain('A backup of the install was created.');
    expect(m.text).toMatch(/^Install: +Alice Blog$/m);
    expect(m.text).toMatch(/^URL: +https:\/\/alice\.example\/blog$/m);
    expect(m.text).toMatch(/^Event: +backup$/m);
    expect(m.text).toMatch(/^Time: +2023-11-14 22:13:20 UTC$/m);
    expect(m.text).toMatch(/^Install id: +abcdefghij0123456789abcde$/m);
    expect(m.text).not.toContain('Error');
  });

  it('a failure carries its errcode and message', () => {
    const m = composeMail({ type: 'backup_error', install, user: 'alice', time: 1_700_000_000, error: { errcode: 'failed_filesystem_login', message: 'The server rejected the login.' } });
    expect(m.subject).toBe('Backup failed: Alice Blog');
    expect(m.text).toMatch(/^Error code: +failed_filesystem_login$/m);
    expect(m.text).toMatch(/^Error: +The server rejected the login\.$/m);
  });

  it('a title with line breaks stays one line (no header or body injection), HTML is escaped', () => {
    const m = composeMail({ type: 'install', install: { ...install, title: 'Evil\r\nBcc: x@y <b>' }, user: 'alice', time: 0 });
    expect(m.subject).toBe('Installed: Evil Bcc: x@y <b>');
    expect(m.text).not.toMatch(/^Bcc:/m);
    expect(m.html).toContain('Evil Bcc: x@y &lt;b&gt;');
    expect(m.html).not.toContain('<b>');
  });

  it('an install without a title is named by its URL', () => {
    expect(composeMail({ type: 'update_available', install: { ...install, title: '' }, user: 'a', time: 0, details: { 'New version': '6.5.5' } }))
      .toMatchObject({ subject: 'Update available: https://alice.example/blog', text: expect.stringMatching(/^New version: +6\.5\.5$/m) });
  });
});
