import { runSiteFsConformance } from '../test/site-fs-conformance';
import { makeTempDir, removeTempDir } from '../test/temp-dir';

runSiteFsConformance(
  'local',
  async () => {
    const dir = await makeTempDir('sitefs-local');
    return { home: dir, cleanup: () => removeTempDir(dir) };
  },
  { largeSize: 4 * 1024 * 1024 },
);
