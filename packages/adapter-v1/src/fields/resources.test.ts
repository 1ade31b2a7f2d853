import { toV1Data, toV2Data } from './field-maps';

describe('task field map (spec §6)', () => {
  it('v2 resource/action ↔ v1 verb', () => {
    expect(toV1Data('task', { cmd: 'installs/backup' })).toStrictEqual({ cmd: 'backup' });
    expect(toV1Data('task', { cmd: 'browser/install' })).toStrictEqual({ cmd: 'install' });
    expect(toV1Data('task', { cmd: 'backups/restore' })).toStrictEqual({ cmd: 'restore' });
    expect(toV1Data('task', { cmd: 'installs/update' })).toStrictEqual({ cmd: 'update' });
    expect(toV2Data('task', { cmd: 'upgrade' })).toStrictEqual({ cmd: 'installs/update' });
  });
  it('passes names without a v1 verb through', () => {
    expect(toV1Data('task', { cmd: 'installs/plugins/edit' })).toStrictEqual({ cmd: 'installs/plugins/edit' });
  });
  it('keeps the v1 sample row as it is apart from cmd', () => {
    const v1 = {
      id: '138207901722178300', user: 'dev1', ws_label: 'dev1', url: 'http://dev1.installatron.com/installdir', title: 'My blog (3)',
      label: '_tasks_backuping', status: 'processing', rate: 10150, percentMin: 50, percentMax: 99,
      message: '_tasks_shared_copyingfiles', cmd: 'backup', install: '4yhfygnd10ws0wc8skck444s', time: 1382079023,
    };
    expect(toV2Data('task', v1)).toStrictEqual({ ...v1, cmd: 'installs/backup' });
  });
});

describe('user field map (spec §8.5)', () => {
  it('suspended yes/no ↔ boolean, also inside websites', () => {
    expect(toV1Data('user', { id: 'bob', suspended: true, websites: [{ label: 'a', suspended: false }] }))
      .toStrictEqual({ id: 'bob', suspended: 'yes', websites: [{ label: 'a', suspended: 'no' }] });
  });
  it('reads a website `reseller` as parent', () => {
    expect(toV2Data('user', { websites: [{ reseller: 'r1' }] })).toStrictEqual({ websites: [{ parent: 'r1' }] });
  });
});

describe('theme and plugin field maps', () => {
  it('theme activated ↔ active', () => {
    expect(toV1Data('theme', { id: 't', activated: false })).toStrictEqual({ id: 't', active: false });
    expect(toV2Data('theme', { id: 't', active: true })).toStrictEqual({ id: 't', activated: true });
  });
  it('plugin keeps activated', () => {
    expect(toV1Data('plugin', { id: 'p', activated: true })).toStrictEqual({ id: 'p', activated: true });
  });
});
